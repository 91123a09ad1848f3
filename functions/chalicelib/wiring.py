"""Builds the services once per process, lazily, from configuration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .adapters.documents import DocumentStore
from .adapters.secrets import load_signing_secret
from .adapters.table import Table
from .services.accounts import AccountService
from .settings import Settings, get_settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    table: Table
    documents: DocumentStore
    accounts: AccountService


@lru_cache(maxsize=1)
def get_services() -> Services:
    settings = get_settings()
    table = Table(settings.table_name)
    return Services(
        settings=settings,
        table=table,
        documents=DocumentStore(settings.documents_bucket),
        accounts=AccountService(table, load_signing_secret(settings), settings.session_hours),
    )


def reset() -> None:
    """Forget built services, so the next call reads the environment again."""
    get_settings.cache_clear()
    get_services.cache_clear()
