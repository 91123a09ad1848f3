"""The private documents bucket (S3 on AWS, an S3-compatible server locally).

Uploads go straight from the browser with presigned POST; the API never
streams files to the browser. The POST policy pins the key, the declared
content type and the size range, so S3 itself refuses anything else. The
confirm step copies the object to a key no grant can write and reads that
copy once (type by its first bytes, SHA-256 of the whole) before the file is
recorded: posting again with the same grant afterwards changes nothing served.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


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

    def presigned_post(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict:
        """``{"url", "fields"}`` for a browser form POST of exactly this key, type and size range."""
        return self.client.generate_presigned_post(
            self.bucket,
            key,
            Fields={"Content-Type": content_type},
            Conditions=[["content-length-range", 1, max_bytes], {"Content-Type": content_type}],
            ExpiresIn=expires_in,
        )

    def presigned_get(self, key: str, filename: str, content_type: str, expires_in: int) -> str:
        # attachment: a stored file is never rendered inline on the bucket's origin.
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
                "ResponseContentType": content_type,
            },
            ExpiresIn=expires_in,
        )

    def inspect(self, key: str, sniff_bytes: int, max_bytes: int) -> "StoredObject | None":
        """Size, first bytes and SHA-256 of a stored object, or None when there is none.

        Reads at most ``max_bytes`` + 1 bytes, so an object larger than the
        policy allows cannot make the function read without end.
        """
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in {"NoSuchKey", "404", "NotFound"}:
                return None
            raise
        digest = hashlib.sha256()
        head = b""
        size = 0
        body = response["Body"]
        try:
            for chunk in body.iter_chunks(chunk_size=256 * 1024):
                if len(head) < sniff_bytes:
                    head += chunk[: sniff_bytes - len(head)]
                size += len(chunk)
                digest.update(chunk)
                if size > max_bytes:
                    break
        finally:
            body.close()
        return StoredObject(size=size, head=head, sha256=digest.hexdigest())

    def copy(self, source: str, target: str) -> bool:
        """Copy an object inside the bucket; False when there is no ``source``."""
        try:
            self.client.copy_object(Bucket=self.bucket, Key=target, CopySource={"Bucket": self.bucket, "Key": source})
            return True
        except ClientError as error:
            if error.response["Error"]["Code"] in {"NoSuchKey", "404", "NotFound"}:
                return False
            raise

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as error:
            if error.response["Error"]["Code"] in {"NoSuchKey", "404", "NotFound"}:
                return False
            raise

    def read(self, key: str) -> bytes:
        """A stored file whole (for packs of evidence); files are at most 10 MB by the upload policy."""
        response = self.client.get_object(Bucket=self.bucket, Key=key)
        try:
            return response["Body"].read()
        finally:
            response["Body"].close()

    def put(self, key: str, body: bytes, content_type: str) -> None:
        """Files the system makes itself (order letters); people's files come by presigned POST."""
        self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def keys(self, prefix: str) -> list[str]:
        """Every key under ``prefix`` (all pages)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return [o["Key"] for page in pages for o in page.get("Contents", [])]


@dataclass(frozen=True)
class StoredObject:
    size: int
    head: bytes
    sha256: str
