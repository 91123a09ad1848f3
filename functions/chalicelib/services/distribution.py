"""Use cases of sending releases to the press: choose recipients, preview, send, follow delivery, resend.

Sending writes, for each chosen partner that has not had the release yet,
a distribution record and its outgoing mail in one transaction (in batches
of ``adapters.distributions.BATCH``); the outbox worker then sends them.
The request itself sends nothing, so a thousand recipients take a second
of writes, and the console follows the delivery log as the worker goes.
Which release may be sent, and in which form, is ``domain/distribution.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..adapters.companies import CompanyStore
from ..adapters.distributions import DistributionStore, RecipientList
from ..adapters.outbox import OutboxStore
from ..adapters.press_kits import PressKitStore
from ..adapters.releases import ReleaseIndex, ReleaseIndexUnavailable
from ..adapters.table import ConditionFailed
from ..domain.accounts import User, looks_like_id
from ..domain.clock import Clock, new_id, utc_now
from ..domain.distribution import Distribution, KitVariant, PressKit, distribution_mail
from ..domain.outbox import MAIL_WORKFLOW, MailStatus, OutboxMessage
from ..domain.press_company import Company, CompanyStatus, MediaType
from ..errors import FieldError, SeklikError, forbidden, not_found, validation_failed
from ..logs import get_logger
from .access import expect_version, is_partner, stale_version

log = get_logger("seklik.distribution")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_LINK_SECONDS = 300
MAX_PICKED = 1000


@dataclass(frozen=True)
class RecipientChoice:
    """Exactly one of: every verified partner, those of some media types, a saved list, or picked ones."""

    all_partners: bool = False
    media_types: tuple[MediaType, ...] = ()
    list_id: str | None = None
    company_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    company: Company
    already: Distribution | None  # this partner already has the release


@dataclass(frozen=True)
class Preview:
    kit: PressKit
    variant: KitVariant
    recipients: list[Recipient]


@dataclass(frozen=True)
class SendResult:
    kit: PressKit
    variant: KitVariant
    queued: list[Distribution]
    already: list[Distribution]


@dataclass(frozen=True)
class DeliveryLine:
    distribution: Distribution
    message: OutboxMessage | None  # None once the outbox has let a settled mail expire (180 days)


@dataclass(frozen=True)
class DeliveryLog:
    slug: str
    kit: PressKit | None  # None when the release is no longer distributable (a draft again)
    lines: list[DeliveryLine]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(line.message.status.value if line.message else "EXPIRED" for line in self.lines)
        return {status.value: counted.get(status.value, 0) for status in MailStatus}


class DistributionService:
    def __init__(self, distributions: DistributionStore, companies: CompanyStore, outbox: OutboxStore,
                 kits: PressKitStore, releases: ReleaseIndex, clock: Clock = utc_now):
        self.distributions = distributions
        self.companies = companies
        self.outbox = outbox
        self.kits = kits
        self.releases = releases
        self.clock = clock

    # -- the release and its recipients -------------------------------------------------------

    def kit(self, slug: str) -> PressKit:
        kit = self.kits.get(slug) if SLUG.match(slug or "") and len(slug) <= 100 else None
        if kit is None:
            raise not_found("Rilis tidak ditemukan: periksa alamatnya (slug); rilis yang masih draf tidak dapat "
                            "dikirim.")
        return kit

    def _variant(self, kit: PressKit) -> KitVariant:
        try:
            on_newsroom = self.releases.find(kit.slug) is not None
        except ReleaseIndexUnavailable:
            raise SeklikError("RELEASES_UNAVAILABLE", "Daftar rilis newsroom tidak dapat dibaca saat ini. "
                              "Coba lagi sebentar lagi.", 503) from None
        return kit.variant(on_newsroom, self.clock())

    def _recipients(self, choice: RecipientChoice) -> list[Company]:
        ways = sum([choice.all_partners, bool(choice.media_types), choice.list_id is not None,
                    bool(choice.company_ids)])
        if ways != 1:
            raise validation_failed([FieldError("recipients", "choose_one",
                                                "Pilih satu cara menentukan penerima: semua mitra, jenis media, "
                                                "daftar tersimpan, atau mitra yang dipilih.")])
        if choice.all_partners or choice.media_types:
            verified = self._verified()
            wanted = set(choice.media_types)
            return [c for c in verified if not wanted or c.media_type in wanted]
        if choice.list_id is not None:
            saved = self.distributions.get_list(choice.list_id) if looks_like_id(choice.list_id) else None
            if saved is None:
                raise validation_failed([FieldError("recipients.list_id", "unknown_list",
                                                    "Daftar penerima tidak ditemukan; pilih dari daftar tersimpan.")])
            return self._picked(saved.company_ids, "recipients.list_id", in_list=True)
        return self._picked(choice.company_ids, "recipients.company_ids")

    def _verified(self) -> list[Company]:
        found, after = [], None
        while True:
            page, after = self.companies.by_status(CompanyStatus.VERIFIED, limit=200, after=after)
            found.extend(page)
            if after is None:
                return found

    def _picked(self, company_ids, field: str, in_list: bool = False) -> list[Company]:
        companies, problems = [], []
        for index, company_id in enumerate(dict.fromkeys(company_ids)):
            company = self.companies.get(company_id) if looks_like_id(company_id) else None
            where = field if in_list else f"{field}[{index}]"
            if company is None:
                problems.append(FieldError(where, "unknown_partner", f"Mitra {company_id} tidak ditemukan."))
            elif company.status != CompanyStatus.VERIFIED:
                problems.append(FieldError(where, "partner_not_verified",
                                           f"{company.profile['media_name']} belum terverifikasi "
                                           f"(status: {company.status.label}); rilis hanya dikirim ke mitra "
                                           "terverifikasi."))
            else:
                companies.append(company)
        if problems:
            raise validation_failed(problems)
        return companies

    # -- preview and send ---------------------------------------------------------------------

    def preview(self, slug: str, choice: RecipientChoice) -> Preview:
        kit = self.kit(slug)
        variant = self._variant(kit)
        sent = {d.company_id: d for d in self.distributions.of_release(slug)}
        return Preview(kit, variant, [Recipient(c, sent.get(c.id)) for c in self._recipients(choice)])

    def send(self, actor: User, slug: str, choice: RecipientChoice) -> SendResult:
        """Queue the release for every chosen partner that does not have it yet (once each, ever)."""
        kit = self.kit(slug)
        variant = self._variant(kit)
        companies = self._recipients(choice)
        sent = {d.company_id: d for d in self.distributions.of_release(slug)}
        now = self.clock()
        pairs = []
        for company in companies:
            if company.id in sent:
                continue
            message = OutboxMessage.queued(new_id(), distribution_mail(kit, variant, company.profile["email"]), now)
            pairs.append((Distribution(slug=slug, company_id=company.id, media_name=company.profile["media_name"],
                                       email=company.profile["email"], variant=variant, mail_id=message.id,
                                       by=actor.id, at=now), message))
        try:
            queued = self.distributions.record(pairs)
        except ConditionFailed:
            raise stale_version() from None
        if len(queued) < len(pairs):  # a concurrent send took some: report them as already sent
            sent = {d.company_id: d for d in self.distributions.of_release(slug)}
        queued_ids = {d.company_id for d in queued}
        already = [sent[c.id] for c in companies if c.id not in queued_ids and c.id in sent]
        log.info("release distributed", extra={"slug": slug, "variant": variant.value, "queued": len(queued),
                                                "already": len(already), "by": actor.id})
        return SendResult(kit, variant, queued, already)

    # -- delivery ---------------------------------------------------------------------------------

    def delivery_log(self, slug: str) -> DeliveryLog:
        if not SLUG.match(slug or ""):
            raise not_found("Rilis tidak ditemukan.")
        distributions = self.distributions.of_release(slug)
        kit = self.kits.get(slug)
        if kit is None and not distributions:
            raise not_found("Rilis tidak ditemukan: periksa alamatnya (slug).")
        messages = {m.id: m for m in self.outbox.about("RELEASE", slug, with_body=False)}
        lines = [DeliveryLine(d, messages.get(d.mail_id)) for d in distributions]
        lines.sort(key=lambda line: line.distribution.media_name.lower())
        return DeliveryLog(slug, kit, lines)

    def resend_failed(self, actor: User, slug: str) -> int:
        """Queue again every mail of this release that failed or bounced; returns how many."""
        again = 0
        now = self.clock()
        for message in self.outbox.about("RELEASE", slug, with_body=True):
            if not MAIL_WORKFLOW.allows(message.status, "resend") or message.status == MailStatus.SUPPRESSED:
                continue  # a suppressed address stays suppressed until staff lift it on the mail page
            if self.outbox.save(message.resent(now, actor.id), message.version):
                again += 1
        log.info("release mail queued again", extra={"slug": slug, "count": again, "by": actor.id})
        return again

    def file_link(self, actor: User, slug: str, name: str) -> str:
        """A short-lived link to a release's original file, for staff or a partner the release was sent to."""
        kit = self.kit(slug)
        if kit.file(name) is None:
            raise not_found("Berkas tidak ada dalam rilis ini.")
        if is_partner(actor):
            sent_to = {d.company_id for d in self.distributions.of_release(slug)}
            if actor.company_id not in sent_to:
                raise forbidden("Berkas rilis ini hanya untuk mitra yang dikirimi rilisnya sebelum embargo "
                                "berakhir.")
        return self.kits.file_link(slug, name, FILE_LINK_SECONDS)

    def received(self, actor: User) -> list[Distribution]:
        """The releases sent to the signed-in partner's company, newest first."""
        return self.distributions.of_company(actor.company_id) if actor.company_id else []

    # -- saved recipient lists ------------------------------------------------------------------

    def lists(self) -> list[RecipientList]:
        return self.distributions.lists()

    def save_list(self, actor: User, list_id: str | None, name: str, company_ids: tuple[str, ...],
                  expected_version: int | None) -> RecipientList:
        picked = self._picked(company_ids, "company_ids")
        current = None
        if list_id is not None:
            current = self.distributions.get_list(list_id) if looks_like_id(list_id) else None
            if current is None:
                raise not_found("Daftar penerima tidak ditemukan.")
            expect_version(current.version, expected_version)
        saved = RecipientList(id=current.id if current else new_id(), name=name,
                              company_ids=tuple(c.id for c in picked), updated_at=self.clock(),
                              updated_by=actor.id, version=current.version + 1 if current else 1)
        try:
            self.distributions.save_list(saved, current.version if current else None)
        except ConditionFailed:
            raise stale_version() from None
        return saved

    def delete_list(self, list_id: str) -> None:
        if not looks_like_id(list_id) or self.distributions.get_list(list_id) is None:
            raise not_found("Daftar penerima tidak ditemukan.")
        self.distributions.delete_list(list_id)
