"""Create what the app expects to exist: the table (from schema.py) and the bucket.

``seklik db init`` and ``seklik dev`` call these against whatever endpoints
the environment names; in production CloudFormation creates both instead,
from the same table definition (see deploy.py).
"""

from __future__ import annotations

import time

import boto3
from botocore.exceptions import ClientError

from chalicelib.adapters import schema


def ensure_table(name: str, client=None, timeout: float = 60.0) -> bool:
    """Create the table if it is missing; True when it was created now."""
    client = client or boto3.client("dynamodb")
    try:
        client.describe_table(TableName=name)
        return False
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
    client.create_table(TableName=name, **schema.TABLE_DEFINITION)
    deadline = time.monotonic() + timeout
    while client.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        if time.monotonic() > deadline:
            raise TimeoutError(f"table {name} did not become ACTIVE")
        time.sleep(0.2)
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": schema.TTL_ATTRIBUTE},
    )
    return True


def ensure_bucket(name: str, client=None, cors_origins: list[str] | None = None) -> bool:
    """Create the private documents bucket if it is missing; True when created now.

    ``cors_origins``: the site origins whose pages upload to the bucket with
    presigned POST (the browser sends the file straight to S3, cross-origin)
    and read the answer. Set on every call, so a new local port works at once.
    """
    client = client or boto3.client("s3")
    created = False
    try:
        client.head_bucket(Bucket=name)
    except ClientError as error:
        if error.response["Error"]["Code"] not in {"404", "NoSuchBucket", "NotFound"}:
            raise
        client.create_bucket(Bucket=name)
        created = True
    if cors_origins:
        client.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [upload_cors_rule(cors_origins)]})
    return created


def upload_cors_rule(origins: list[str]) -> dict:
    """The one CORS rule of the documents bucket (also used by the deploy template)."""
    return {
        "AllowedOrigins": origins,
        "AllowedMethods": ["POST"],
        "AllowedHeaders": ["*"],
        "MaxAgeSeconds": 3000,
    }
