"""Runtime configuration, read once from the environment.

The same code runs on Lambda and locally; only the environment differs:

| variable                      | production (set by the deploy template) | local (set by ``seklik dev`` / tests) |
|-------------------------------|-----------------------------------------|----------------------------------------|
| ``SEKLIK_TABLE``              | the table's name                        | ``seklik`` or a per-test name          |
| ``SEKLIK_DOCUMENTS_BUCKET``   | the private documents bucket            | ``seklik-documents``                   |
| ``SEKLIK_SECRET_PARAMETER``   | SSM SecureString holding the secret     | unset                                  |
| ``SEKLIK_SECRET_FILE``        | unset                                   | ``var/secret.key`` (generated once)    |
| ``SEKLIK_SECURE_COOKIES``     | ``true`` (default)                      | ``false`` for http://127.0.0.1         |
| ``SEKLIK_CLIENT_IP_HEADER``   | ``CloudFront-Viewer-Address``           | unset: the connection's address        |
| ``SEKLIK_ORIGIN_VERIFY_TOKEN``| secret CloudFront adds to /api/* calls  | unset: no check                        |
| ``SEKLIK_SITE_URL``           | the public site, for links in emails    | the local server's URL                 |
| ``SEKLIK_MAIL_FROM``          | a verified SES sender                   | ``Seklik <noreply@seklik.invalid>``    |
| ``SEKLIK_MAIL_OUTBOX``        | unset: mail goes through SES            | ``var/outbox`` (``.eml`` files)        |
| ``SEKLIK_MAIL_CONFIGURATION_SET`` | the SES configuration set that reports bounces | unset                  |
| ``SEKLIK_REGISTRATION_CONFIG``| unset: ``chalicelib/config/registration.json`` | same, or a file of your own      |
| ``SEKLIK_ORDERS_CONFIG``      | unset: ``chalicelib/config/orders.json`` | same, or a file of your own           |
| ``SEKLIK_INVOICES_CONFIG``    | unset: ``chalicelib/config/invoices.json`` | same, or a file of your own         |
| ``SEKLIK_TAXES_CONFIG``       | unset: ``chalicelib/config/taxes.json`` | same, or a file of your own            |
| ``SEKLIK_RELEASES_URL``       | unset: ``<site>/releases.json``          | the built site's ``releases.json``      |
| ``AWS_ENDPOINT_URL_DYNAMODB`` | unset (real AWS)                        | DynamoDB Local                         |
| ``AWS_ENDPOINT_URL_S3``       | unset (real AWS)                        | the local S3 server                    |

Endpoint variables are read by boto3 itself; the app never branches on
"am I in a test".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_REGISTRATION_CONFIG = str(Path(__file__).parent / "config" / "registration.json")
DEFAULT_ORDERS_CONFIG = str(Path(__file__).parent / "config" / "orders.json")
DEFAULT_INVOICES_CONFIG = str(Path(__file__).parent / "config" / "invoices.json")
DEFAULT_TAXES_CONFIG = str(Path(__file__).parent / "config" / "taxes.json")
DEFAULT_TRANSPARENCY_CONFIG = str(Path(__file__).parent / "config" / "transparency.json")


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    table_name: str
    documents_bucket: str
    secret_parameter: str | None
    secret_file: str | None
    secure_cookies: bool
    session_hours: int
    aws_region: str
    # Behind CloudFront, API Gateway sees the edge's address, not the
    # visitor's; CloudFront passes the visitor's in this header.
    client_ip_header: str | None
    # Requests without this token in X-Seklik-Origin-Verify did not come
    # through CloudFront and are refused.
    origin_verify_token: str | None
    site_url: str
    mail_from: str
    mail_outbox: str | None
    # The SES configuration set whose event destination reports bounces and complaints (production).
    mail_configuration_set: str | None
    registration_config: str
    orders_config: str
    invoices_config: str
    taxes_config: str
    transparency_config: str
    releases_url: str

    @classmethod
    def from_environ(cls) -> "Settings":
        return cls(
            table_name=os.environ.get("SEKLIK_TABLE", "seklik"),
            documents_bucket=os.environ.get("SEKLIK_DOCUMENTS_BUCKET", "seklik-documents"),
            secret_parameter=os.environ.get("SEKLIK_SECRET_PARAMETER") or None,
            secret_file=os.environ.get("SEKLIK_SECRET_FILE") or None,
            secure_cookies=_flag("SEKLIK_SECURE_COOKIES", True),
            session_hours=int(os.environ.get("SEKLIK_SESSION_HOURS", "12")),
            client_ip_header=(os.environ.get("SEKLIK_CLIENT_IP_HEADER") or "").strip().lower() or None,
            origin_verify_token=os.environ.get("SEKLIK_ORIGIN_VERIFY_TOKEN") or None,
            site_url=(os.environ.get("SEKLIK_SITE_URL") or "http://127.0.0.1:8000/").rstrip("/") + "/",
            mail_from=os.environ.get("SEKLIK_MAIL_FROM") or "Seklik <noreply@seklik.invalid>",
            mail_outbox=os.environ.get("SEKLIK_MAIL_OUTBOX") or None,
            mail_configuration_set=os.environ.get("SEKLIK_MAIL_CONFIGURATION_SET") or None,
            registration_config=os.environ.get("SEKLIK_REGISTRATION_CONFIG") or DEFAULT_REGISTRATION_CONFIG,
            orders_config=os.environ.get("SEKLIK_ORDERS_CONFIG") or DEFAULT_ORDERS_CONFIG,
            invoices_config=os.environ.get("SEKLIK_INVOICES_CONFIG") or DEFAULT_INVOICES_CONFIG,
            taxes_config=os.environ.get("SEKLIK_TAXES_CONFIG") or DEFAULT_TAXES_CONFIG,
            transparency_config=os.environ.get("SEKLIK_TRANSPARENCY_CONFIG") or DEFAULT_TRANSPARENCY_CONFIG,
            releases_url=os.environ.get("SEKLIK_RELEASES_URL")
            or (os.environ.get("SEKLIK_SITE_URL") or "http://127.0.0.1:8000/").rstrip("/") + "/releases.json",
            aws_region=os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION")
            or "ap-southeast-3",
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environ()
