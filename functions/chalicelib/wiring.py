"""Builds the services once per process, lazily, from configuration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import json

from .adapters.agreements import AgreementStore, BudgetStore
from .adapters.catalogue import CatalogueStore
from .adapters.companies import CompanyStore
from .adapters.distributions import DistributionStore
from .adapters.documents import DocumentStore
from .adapters.idempotency import IdempotencyStore
from .adapters.invoices import InvoiceStore
from .adapters.ledger import LedgerStore
from .adapters.mail import FolderMailer, SesMailer
from .adapters.orders import OrderStore
from .adapters.outbox import OutboxStore
from .adapters.press_kits import PressKitStore
from .adapters.registrations import PendingRegistrationStore
from .adapters.releases import ReleaseIndex
from .adapters.secrets import load_signing_secret
from .adapters.subscriptions import SubscriberStore
from .adapters.table import Table
from .adapters.taxes import TaxDepositStore
from .adapters.uploads import PendingUploadStore
from .domain.documents import RegistrationRules
from .domain.invoices import InvoiceRules
from .domain.orders import NumberFormat, OrderSettings
from .domain.taxes import TaxRules
from .services.access import Access
from .services.accounts import AccountService
from .services.catalog import BudgetService, CatalogService
from .services.distribution import DistributionService
from .services.idempotency import Idempotency
from .services.invoices import InvoiceService
from .services.ledger import LedgerService
from .services.mail import MailWorker
from .services.negotiation import AgreementService, NegotiationService
from .services.notifications import Notifier
from .services.evidence import EvidenceService
from .services.dashboard import DashboardService
from .services.exports import ExportService
from .services.fiscal_years import FiscalYearService
from .services.orders import OrderService
from .services.open_data import Publisher
from .services.reports import ReportService
from .services.subscriptions import SubscriptionService
from .services.taxes import TaxService
from .services.registration import RegistrationService
from .services.uploads import UploadDesk
from .services.transparency import TransparencyService
from .services.verification import VerificationService
from .settings import Settings, get_settings


@dataclass(frozen=True)
class Stores:
    """Storage, one object per noun, all on the one table."""

    companies: CompanyStore
    pending_uploads: PendingUploadStore
    idempotency: IdempotencyStore
    catalogue: CatalogueStore
    agreements: AgreementStore
    budgets: BudgetStore
    ledger: LedgerStore
    orders: OrderStore
    invoices: InvoiceStore
    tax_deposits: TaxDepositStore
    outbox: OutboxStore
    distributions: DistributionStore

    @classmethod
    def on(cls, table: Table) -> "Stores":
        pending = PendingUploadStore(table)
        agreements = AgreementStore(table, pending)
        budgets = BudgetStore(table)
        ledger = LedgerStore(table)
        return cls(companies=CompanyStore(table, pending), pending_uploads=pending,
                   idempotency=IdempotencyStore(table), catalogue=CatalogueStore(table), agreements=agreements,
                   budgets=budgets, ledger=ledger, orders=OrderStore(table, agreements, budgets, ledger, pending),
                   invoices=InvoiceStore(table, budgets, ledger, pending), tax_deposits=TaxDepositStore(table, ledger),
                   outbox=OutboxStore(table), distributions=DistributionStore(table))


@dataclass(frozen=True)
class Services:
    settings: Settings
    table: Table
    stores: Stores
    documents: DocumentStore
    access: Access
    accounts: AccountService
    registration: RegistrationService
    verification: VerificationService
    catalog: CatalogService
    budgets: BudgetService
    fiscal_years: FiscalYearService
    dashboard: DashboardService
    negotiation: NegotiationService
    agreements: AgreementService
    orders: OrderService
    invoices: InvoiceService
    taxes: TaxService
    reports: ReportService
    exports: ExportService
    transparency: TransparencyService
    publisher: Publisher
    evidence: EvidenceService
    ledger: LedgerService
    mail: MailWorker
    distribution: DistributionService
    subscriptions: SubscriptionService


@lru_cache(maxsize=1)
def get_services() -> Services:
    settings = get_settings()
    table = Table(settings.table_name)
    stores = Stores.on(table)
    documents = DocumentStore(settings.documents_bucket)
    notifier = Notifier(settings.site_url)
    accounts = AccountService(table, load_signing_secret(settings), settings.session_hours,
                              notify_lock=notifier.sign_ins_slowed)
    with open(settings.registration_config, encoding="utf-8") as handle:
        rules = RegistrationRules.from_dict(json.load(handle))
    access = Access(table, stores.companies)
    uploads = UploadDesk(documents, stores.pending_uploads)
    idempotency = Idempotency(stores.idempotency)
    registration = RegistrationService(table, stores.companies, access, uploads, idempotency, rules,
                                       PendingRegistrationStore(table), notifier, hasher=accounts.hasher)
    tax_rules = TaxRules.from_dict(_json(settings.taxes_config))
    order_settings = load_order_settings(settings.orders_config)
    release_index = ReleaseIndex(settings.releases_url)
    orders = OrderService(stores.orders, stores.agreements, stores.budgets, stores.catalogue, access, uploads,
                          idempotency, documents, release_index, order_settings, notifier)
    publisher = Publisher.from_dict(_json(settings.transparency_config))
    invoices = InvoiceService(stores.invoices, stores.orders, stores.agreements, access, uploads, idempotency,
                              documents, InvoiceRules.from_dict(_json(settings.invoices_config)), tax_rules,
                              order_settings.letterhead, order_settings.city, notifier)
    taxes = TaxService(stores.invoices, stores.tax_deposits, tax_rules, idempotency)
    return Services(
        settings=settings,
        table=table,
        stores=stores,
        documents=documents,
        access=access,
        accounts=accounts,
        registration=registration,
        verification=VerificationService(table, stores.companies, access, registration, notifier),
        catalog=CatalogService(stores.catalogue),
        budgets=BudgetService(stores.budgets),
        fiscal_years=FiscalYearService(stores.budgets, stores.agreements, stores.catalogue),
        dashboard=DashboardService(stores.companies, stores.orders, stores.invoices, stores.outbox, access),
        negotiation=NegotiationService(stores.catalogue, access),
        agreements=AgreementService(stores.agreements, stores.catalogue, access, uploads),
        orders=orders,
        invoices=invoices,
        taxes=taxes,
        reports=ReportService(stores.ledger, stores.budgets, stores.agreements, stores.orders, stores.invoices, access),
        exports=ExportService(documents),
        transparency=TransparencyService(stores.agreements, stores.budgets, stores.orders, stores.invoices,
                                         stores.companies, stores.ledger, publisher.first_year),
        publisher=publisher,
        evidence=EvidenceService(invoices, orders, table, documents),
        ledger=LedgerService(stores.ledger),
        mail=get_mail_worker(),
        distribution=DistributionService(stores.distributions, stores.companies, stores.outbox,
                                         PressKitStore(documents), release_index),
        subscriptions=get_subscriptions(),
    )


@lru_cache(maxsize=1)
def get_mail_worker() -> MailWorker:
    """The outbox's worker alone: what the mail Lambda needs (the table and SES; no secrets, no bucket)."""
    settings = get_settings()
    mailer = FolderMailer(settings.mail_outbox) if settings.mail_outbox else \
        SesMailer(configuration_set=settings.mail_configuration_set)
    return MailWorker(OutboxStore(Table(settings.table_name)), mailer, settings.mail_from)


@lru_cache(maxsize=1)
def get_subscriptions() -> SubscriptionService:
    """The newsroom's email alerts alone: what the mail Lambda needs to announce new releases (the table and
    the site's releases.json; no secret, no bucket)."""
    settings = get_settings()
    table = Table(settings.table_name)
    return SubscriptionService(SubscriberStore(table), table, ReleaseIndex(settings.releases_url), settings.site_url)


def _json(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


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
    get_mail_worker.cache_clear()
    get_subscriptions.cache_clear()
