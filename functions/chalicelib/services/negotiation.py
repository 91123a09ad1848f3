"""Use cases of negotiation (negosiasi) and agreements (PKS).

Only a VERIFIED partner negotiates. The partner proposes prices; order staff
counter line by line or accept; the partner accepts a counter or proposes
again. Every step is kept (who, when, the prices, the message). A price over
the product's SSH for the year is refused. Agreed lines become the rates of
the year's agreement, which order staff create, activate and close.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..adapters.cooperation import CooperationStore
from ..adapters.documents import DocumentStore
from ..adapters.table import ConditionFailed
from ..domain.accounts import AuditEvent, Role, User
from ..domain.catalog import LineStatus, NegotiationMessage, RateCard, RateLine, price_problems
from ..domain.clock import Clock, new_id, today_wib, utc_now
from ..domain.orders import Agreement, AgreementStatus
from ..domain.press_company import Company, CompanyStatus
from ..errors import FieldError, SeklikError, conflict, forbidden, not_found, validation_failed
from .registration import RegistrationService, stale_version
from .uploads import UploadDesk


def not_verified(company: Company) -> SeklikError:
    return conflict("PARTNER_NOT_VERIFIED",
                    f"Perusahaan ini berstatus \"{company.status.label}\". Hanya mitra terverifikasi yang dapat "
                    "bernegosiasi dan menerima pesanan.")


def _expect_version(card: RateCard | None, expected_version: int | None) -> None:
    """A stale view hears STALE_VERSION first, before what has changed about its lines since."""
    if (card.version if card else None) != expected_version:
        raise stale_version()


class NegotiationService:
    def __init__(self, store: CooperationStore, registration: RegistrationService, clock: Clock = utc_now):
        self.store = store
        self.registration = registration
        self.clock = clock

    def _company(self, actor: User, company_id: str, write: bool) -> Company:
        company = self.registration.company_for(actor, company_id)
        if write and actor.has_any_role({Role.MEDIA}) and company.owner_id != actor.id:
            raise forbidden()
        if write and company.status != CompanyStatus.VERIFIED:
            raise not_verified(company)
        return company

    def thread(self, actor: User, company_id: str, year: int) -> tuple[RateCard | None, list[NegotiationMessage]]:
        company = self._company(actor, company_id, write=False)
        return self.store.rate_card(company.id, year)

    def _step(self, actor: User, company: Company, year: int, expected_version: int | None, action: str,
              lines: dict[str, RateLine], message: str | None) -> RateCard:
        card, _ = self.store.rate_card(company.id, year)
        if (card.version if card else None) != expected_version:
            raise stale_version()
        now = self.clock()
        new = card.with_lines(lines, now) if card else RateCard(company.id, year, lines, now)
        side = "mitra" if actor.has_any_role({Role.MEDIA}) else "staf"
        step = NegotiationMessage(new_id(), actor.id, side, now, action,
                                  {code: line.price for code, line in lines.items()}, (message or "").strip() or None)
        audit = AuditEvent("COMPANY", company.id, new_id(), f"rates.{action}", actor.id, now,
                           {f"tarif.{year}.{code}": {"before": str(card.lines[code].price) if card and code in card.lines
                                                     else None, "after": f"{line.price} ({line.status.value})"}
                            for code, line in lines.items()},
                           reason=step.message)
        try:
            self.store.save_rate_card(new, card.version if card else None, step, audit)
        except ConditionFailed:
            raise stale_version() from None
        return new

    def _check_prices(self, company: Company, year: int, prices: dict[str, int]) -> None:
        if not prices:
            raise validation_failed([FieldError("lines", "missing", "Isi paling sedikit satu harga produk.")])
        products = {p.code: p for p in self.store.products()}
        if problems := price_problems(prices, products, year, company.media_type):
            raise SeklikError("PRICE_NOT_ALLOWED",
                              "Sebagian harga tidak dapat diterima. Periksa isian yang ditandai.", 422, problems)

    def propose(self, actor: User, company_id: str, year: int, prices: dict[str, int], notes: dict[str, str],
                message: str | None, expected_version: int | None) -> RateCard:
        """The partner's prices; lines already agreed cannot be reopened."""
        company = self._company(actor, company_id, write=True)
        if company.owner_id != actor.id:
            raise forbidden("Hanya mitra yang mengajukan tarif; staf menawar balik atau menerima.")
        card, _ = self.store.rate_card(company.id, year)
        _expect_version(card, expected_version)
        agreed = [code for code in prices if card and code in card.lines and card.lines[code].status == LineStatus.AGREED]
        if agreed:
            raise validation_failed([FieldError(f"lines.{code}", "already_agreed",
                                                "Harga produk ini sudah disepakati.") for code in agreed])
        self._check_prices(company, year, prices)
        lines = {code: RateLine(code, price, LineStatus.PROPOSED, (notes.get(code) or "").strip() or None)
                 for code, price in prices.items()}
        return self._step(actor, company, year, expected_version, "proposed", lines, message)

    def counter(self, actor: User, company_id: str, year: int, prices: dict[str, int], message: str | None,
                expected_version: int) -> RateCard:
        """Order staff's prices for lines the partner proposed."""
        company = self._company(actor, company_id, write=True)
        card, _ = self.store.rate_card(company.id, year)
        if card is None:
            raise not_found("Mitra belum mengajukan tarif untuk tahun ini.")
        _expect_version(card, expected_version)
        wrong = [code for code in prices if code not in card.lines or card.lines[code].status != LineStatus.PROPOSED]
        if wrong:
            raise validation_failed([FieldError(f"lines.{code}", "not_proposed",
                                                "Hanya harga yang sedang diajukan mitra yang dapat ditawar balik.")
                                     for code in wrong])
        self._check_prices(company, year, prices)
        lines = {code: RateLine(code, price, LineStatus.COUNTERED, card.lines[code].note) for code, price in prices.items()}
        return self._step(actor, company, year, expected_version, "countered", lines, message)

    def accept(self, actor: User, company_id: str, year: int, codes: list[str], message: str | None,
               expected_version: int) -> RateCard:
        """Staff accept the partner's proposed lines; the partner accepts staff's counters."""
        company = self._company(actor, company_id, write=True)
        card, _ = self.store.rate_card(company.id, year)
        if card is None:
            raise not_found("Belum ada tarif yang diajukan untuk tahun ini.")
        _expect_version(card, expected_version)
        partner = actor.has_any_role({Role.MEDIA})
        waiting_for_me = LineStatus.COUNTERED if partner else LineStatus.PROPOSED
        wrong = [code for code in codes if code not in card.lines or card.lines[code].status != waiting_for_me]
        if wrong or not codes:
            raise validation_failed([FieldError(f"lines.{code}", "not_acceptable",
                                                "Baris ini tidak menunggu persetujuan Anda.") for code in wrong]
                                    or [FieldError("lines", "missing", "Pilih baris yang disetujui.")])
        # The SSH may have been lowered since the price was set: check again.
        self._check_prices(company, year, {code: card.lines[code].price for code in codes})
        lines = {code: replace(card.lines[code], status=LineStatus.AGREED) for code in codes}
        return self._step(actor, company, year, expected_version, "accepted", lines, message)


class AgreementService:
    def __init__(self, store: CooperationStore, registration: RegistrationService, files: DocumentStore,
                 clock: Clock = utc_now):
        self.store = store
        self.registration = registration
        self.files = files
        self.uploads = UploadDesk(files, store, clock)
        self.clock = clock

    def get(self, actor: User, agreement_id: str) -> Agreement:
        agreement = self.store.get_agreement(agreement_id) if len(agreement_id) == 26 else None
        if agreement is None:
            raise not_found("PKS tidak ditemukan.")
        self.registration.company_for(actor, agreement.company_id)  # a partner sees only its own
        return agreement

    def of_company(self, actor: User, company_id: str) -> list[Agreement]:
        company = self.registration.company_for(actor, company_id)
        return sorted(self.store.agreements_of(company.id), key=lambda a: a.year, reverse=True)

    def create(self, actor: User, company_id: str, year: int, number: str, starts_on: date, ends_on: date,
               ceiling: int) -> Agreement:
        company = self.registration.company_for(actor, company_id)
        if company.status != CompanyStatus.VERIFIED:
            raise not_verified(company)
        card, _ = self.store.rate_card(company.id, year)
        rates = card.agreed() if card else {}
        problems = []
        if not rates:
            problems.append(FieldError("rates", "no_agreed_rates",
                                       "Belum ada tarif yang disepakati untuk tahun ini. Selesaikan negosiasi dulu."))
        if not (starts_on.year == year and ends_on.year == year and starts_on <= ends_on):
            problems.append(FieldError("ends_on", "invalid_period",
                                       f"Masa berlaku harus di dalam tahun anggaran {year} dan tanggal mulai "
                                       "tidak boleh sesudah tanggal berakhir."))
        if ceiling < 1:
            problems.append(FieldError("ceiling", "invalid_amount", "Nilai PKS harus lebih dari nol (rupiah)."))
        if not number.strip() or len(number) > 80:
            problems.append(FieldError("number", "invalid_number", "Isi nomor PKS (paling panjang 80 karakter)."))
        if problems:
            raise validation_failed(problems)
        now = self.clock()
        agreement = Agreement(id=new_id(), company_id=company.id, year=year, number=number.strip(),
                              starts_on=starts_on, ends_on=ends_on, rates=rates, ceiling=ceiling, created_at=now)
        audit = AuditEvent("AGREEMENT", agreement.id, new_id(), "agreement.created", actor.id, now,
                           {"status": {"before": None, "after": AgreementStatus.DRAFT.value},
                            "nilai": {"before": None, "after": ceiling}})
        try:
            self.store.create_agreement(agreement, audit)
        except ConditionFailed as failure:
            refused = [code == "ConditionalCheckFailed" for code in failure.reasons] + [False] * 4
            if refused[CooperationStore.CREATE_AGREEMENT_YEAR]:
                raise conflict("AGREEMENT_EXISTS", f"Mitra ini sudah memiliki PKS untuk tahun {year}.") from None
            if refused[CooperationStore.CREATE_AGREEMENT_NUMBER]:
                raise conflict("AGREEMENT_NUMBER_TAKEN", "Nomor PKS ini sudah dipakai PKS lain.") from None
            raise stale_version() from None  # a concurrent write got in the way
        return agreement

    def _move(self, actor: User, agreement_id: str, expected_version: int, to: AgreementStatus,
              allowed_from: AgreementStatus, reason: str | None = None) -> Agreement:
        agreement = self.get(actor, agreement_id)
        if agreement.version != expected_version:
            raise stale_version()
        if agreement.status != allowed_from:
            raise conflict("AGREEMENT_STATE", f"PKS berstatus \"{agreement.status.label}\"; tindakan ini hanya untuk "
                                              f"PKS berstatus \"{allowed_from.label}\".")
        if to == AgreementStatus.ACTIVE:
            today = today_wib(self.clock())
            if agreement.ends_on < today:
                raise conflict("AGREEMENT_PERIOD_OVER", "Masa berlaku PKS ini sudah lewat.")
            if not agreement.signed_document:
                raise conflict("AGREEMENT_NOT_SIGNED", "Unggah PKS yang sudah ditandatangani kedua pihak (PDF) "
                                                       "sebelum mengaktifkannya.")
        moved = replace(agreement, status=to, version=agreement.version + 1)
        audit = AuditEvent("AGREEMENT", agreement.id, new_id(), f"agreement.{to.value.lower()}", actor.id, self.clock(),
                           {"status": {"before": agreement.status.value, "after": to.value}}, reason=reason)
        try:
            self.store.save_agreement(moved, agreement.version, audit)
        except ConditionFailed:
            raise stale_version() from None
        return self.store.get_agreement(agreement.id)

    # -- the signed PDF ----------------------------------------------------------------------

    def request_signed_upload(self, actor: User, agreement_id: str, filename: str, content_type: str,
                              size: int) -> dict:
        agreement = self.get(actor, agreement_id)
        if agreement.status != AgreementStatus.DRAFT:
            raise conflict("AGREEMENT_STATE", "PKS yang sudah berlaku atau ditutup tidak dapat diganti dokumennya.")
        return self.uploads.grant(f"AGREEMENT#{agreement.id}", f"agreements/{agreement.id}", filename, content_type,
                                  size, actor.id, allowed=("application/pdf",))

    def attach_signed(self, actor: User, agreement_id: str, upload_id: str) -> Agreement:
        agreement = self.get(actor, agreement_id)
        if agreement.status != AgreementStatus.DRAFT:
            raise conflict("AGREEMENT_STATE", "PKS yang sudah berlaku atau ditutup tidak dapat diganti dokumennya.")
        document = self.uploads.take(f"AGREEMENT#{agreement.id}", upload_id)
        updated = replace(agreement, signed_document=document, version=agreement.version + 1)
        before = agreement.signed_document["filename"] if agreement.signed_document else None
        audit = AuditEvent("AGREEMENT", agreement.id, new_id(), "agreement.signed_document", actor.id, self.clock(),
                           {"dokumen": {"before": before, "after": document["filename"]}},
                           reason=f"SHA-256 {document['sha256'][:12]}…")
        try:
            self.store.attach_signed_document(updated, agreement.version, upload_id, audit)
        except ConditionFailed:
            raise stale_version() from None
        return updated

    def signed_link(self, actor: User, agreement_id: str) -> str:
        agreement = self.get(actor, agreement_id)
        if not agreement.signed_document:
            raise not_found("PKS ini belum memiliki dokumen bertanda tangan.")
        doc = agreement.signed_document
        return self.files.presigned_get(doc["key"], doc["filename"], doc["content_type"], 300)

    def activate(self, actor: User, agreement_id: str, expected_version: int) -> Agreement:
        return self._move(actor, agreement_id, expected_version, AgreementStatus.ACTIVE, AgreementStatus.DRAFT)

    def close(self, actor: User, agreement_id: str, expected_version: int, reason: str) -> Agreement:
        reason = (reason or "").strip()
        if not reason:
            raise validation_failed([FieldError("reason", "missing", "Tuliskan alasan penutupan PKS.")])
        return self._move(actor, agreement_id, expected_version, AgreementStatus.CLOSED, AgreementStatus.ACTIVE, reason)
