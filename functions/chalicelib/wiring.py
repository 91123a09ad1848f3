"""Builds the services once per process, lazily, from configuration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import json

from .adapters.companies import CompanyStore
from .adapters.documents import DocumentStore
from .adapters.mail import OutboxMailer, SesMailer
from .adapters.secrets import load_signing_secret
from .adapters.table import Table
from .domain.documents import RegistrationRules
from .services.accounts import AccountService
from .services.notifications import Notifier
from .services.registration import RegistrationService
from .services.verification import VerificationService
from .settings import Settings, get_settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    table: Table
    documents: DocumentStore
    accounts: AccountService
    registration: RegistrationService
    verification: VerificationService


@lru_cache(maxsize=1)
def get_services() -> Services:
    settings = get_settings()
    table = Table(settings.table_name)
    documents = DocumentStore(settings.documents_bucket)
    accounts = AccountService(table, load_signing_secret(settings), settings.session_hours)
    with open(settings.registration_config, encoding="utf-8") as handle:
        rules = RegistrationRules.from_dict(json.load(handle))
    companies = CompanyStore(table)
    registration = RegistrationService(table, companies, documents, rules, hasher=accounts.hasher)
    mailer = OutboxMailer(settings.mail_outbox) if settings.mail_outbox else SesMailer()
    notifier = Notifier(mailer, settings.mail_from, settings.site_url)
    return Services(
        settings=settings,
        table=table,
        documents=documents,
        accounts=accounts,
        registration=registration,
        verification=VerificationService(table, companies, registration, notifier),
    )


def reset() -> None:
    """Forget built services, so the next call reads the environment again."""
    get_settings.cache_clear()
    get_services.cache_clear()
