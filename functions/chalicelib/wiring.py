"""Builds the services once per process, lazily, from configuration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import json

from .adapters.companies import CompanyStore
from .adapters.cooperation import CooperationStore
from .adapters.documents import DocumentStore
from .adapters.mail import OutboxMailer, SesMailer
from .adapters.releases import ReleaseIndex
from .adapters.secrets import load_signing_secret
from .adapters.table import Table
from .domain.documents import RegistrationRules
from .domain.orders import NumberFormat, OrderSettings
from .services.accounts import AccountService
from .services.catalog import BudgetService, CatalogService
from .services.ledger import LedgerService
from .services.negotiation import AgreementService, NegotiationService
from .services.notifications import Notifier
from .services.orders import OrderService
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
    cooperation: CooperationStore
    catalog: CatalogService
    budgets: BudgetService
    negotiation: NegotiationService
    agreements: AgreementService
    orders: OrderService
    ledger: LedgerService


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
    cooperation = CooperationStore(table)
    return Services(
        settings=settings,
        table=table,
        documents=documents,
        accounts=accounts,
        registration=registration,
        verification=VerificationService(table, companies, registration, notifier),
        cooperation=cooperation,
        catalog=CatalogService(cooperation),
        budgets=BudgetService(cooperation),
        negotiation=NegotiationService(cooperation, registration),
        agreements=AgreementService(cooperation, registration, documents),
        orders=OrderService(cooperation, registration, documents, ReleaseIndex(settings.releases_url),
                            load_order_settings(settings.orders_config), notifier),
        ledger=LedgerService(cooperation),
    )


def load_order_settings(path: str) -> OrderSettings:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return OrderSettings(
        number_format=NumberFormat(data["number_format"], data["unit"]),
        letterhead=tuple(data["letterhead"]),
        city=data["city"],
        signatory_name=data["signatory"]["name"],
        signatory_title=data["signatory"]["title"],
        signatory_id=data["signatory"]["id"],
        ppn_percent=int(data.get("ppn_percent", 11)),
        pph23_percent=int(data.get("pph23_percent", 2)),
    )


def reset() -> None:
    """Forget built services, so the next call reads the environment again."""
    get_settings.cache_clear()
    get_services.cache_clear()
