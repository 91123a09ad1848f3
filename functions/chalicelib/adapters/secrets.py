"""Where the signing secret comes from: SSM Parameter Store or a local file.

Production sets ``SEKLIK_SECRET_PARAMETER`` (a SecureString); local
development sets ``SEKLIK_SECRET_FILE``, a file that ``seklik dev``
generates once under var/. The secret is never in the repository.
"""

from __future__ import annotations

import boto3

from ..settings import Settings


class SecretUnavailable(RuntimeError):
    pass


MIN_SECRET_BYTES = 32


def load_signing_secret(settings: Settings) -> bytes:
    if settings.secret_parameter:
        response = boto3.client("ssm").get_parameter(Name=settings.secret_parameter, WithDecryption=True)
        secret = response["Parameter"]["Value"].encode("utf-8")
    elif settings.secret_file:
        try:
            with open(settings.secret_file, "rb") as handle:
                secret = handle.read().strip()
        except OSError as error:
            raise SecretUnavailable(f"cannot read SEKLIK_SECRET_FILE: {error.strerror}") from error
    else:
        raise SecretUnavailable("set SEKLIK_SECRET_PARAMETER (SSM) or SEKLIK_SECRET_FILE")
    if len(secret) < MIN_SECRET_BYTES:
        raise SecretUnavailable(f"the signing secret must be at least {MIN_SECRET_BYTES} bytes")
    return secret
