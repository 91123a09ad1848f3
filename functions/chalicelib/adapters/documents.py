"""The private documents bucket (S3 on AWS, an S3-compatible server locally).

Uploads go straight from the browser with presigned POST; the API never
streams files. Later features add presigning here; for now the bucket is
only checked for health.
"""

from __future__ import annotations

import boto3
from botocore.config import Config


def make_client():
    # botocore picks virtual-host addressing on AWS and path-style for an
    # IP endpoint such as the local server's http://127.0.0.1:PORT.
    return boto3.client(
        "s3",
        config=Config(
            signature_version="s3v4",
            connect_timeout=3,
            read_timeout=10,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    )


class DocumentStore:
    def __init__(self, bucket: str, client=None):
        self.bucket = bucket
        self.client = client or make_client()

    def check(self) -> None:
        """Raise if the bucket cannot be reached with our credentials."""
        self.client.head_bucket(Bucket=self.bucket)
