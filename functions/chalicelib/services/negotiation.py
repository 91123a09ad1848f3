"""Use cases of negotiation (negosiasi) and agreements (PKS).

Only a VERIFIED partner negotiates. The partner proposes prices; order staff
counter line by line or accept; the partner accepts a counter or proposes
again (``RATE_LINE_WORKFLOW``). Every step is kept (who, when, the prices, the
message). A price over the product's SSH for the year is refused. Agreed lines
become the rates of the year's agreement, which order staff create, activate
and close (``AGREEMENT_WORKFLOW``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..adapters.agreements import AgreementStore
from ..adapters.catalogue import CatalogueStore
from ..adapters.table import ConditionFailed
from ..domain.accounts import AuditEvent, User, looks_like_id
from ..domain.catalog import LineStatus, NegotiationMessage, RateCard, RateLine, line_refusals, price_problems
from ..domain.clock import Clock, new_id, today_wib, utc_now
from ..domain.orders import Agreement, AgreementStatus
from ..domain.press_company import Company
from ..errors import FieldError, SeklikError, conflict, forbidden, not_found, validation_failed
from .access import Access, expect_version, is_partner, stale_version
from .uploads import UploadDesk

class NegotiationService:
    def __init__(self, catalogue: CatalogueStore, access: Access, clock: Clock = utc_now):
        self.catalogue = catalogue
        self.access = access
        self.clock = clock

    def _company(self, actor: User, company_id: str) -> Company:
        company = self.access.company_for(actor, company_id)
        if is_partner(actor) and company.owner_id != actor.id:
            raise forbidden()
        company.check("cooperate")
        return company

    def thread(self, actor: User, company_id: str, year: int) -> tuple[RateCard | None, list[NegotiationMessage]]:
        company = self.access.company_for(actor, company_id)
        return self.catalogue.rate_card(company.id, year)

    def _step(self, actor: User, company: Company, card: RateCard | None, year: int, action: str,
              lines: dict[str, RateLine], message: str | None) -> RateCard:
        now = self.clock()
        new = card.with_lines(lines, now) if card else RateCard(company.id, year, lines, now)
        side = "mitra" if is_partner(actor) else "staf"
        step = NegotiationMessage(new_id(), actor.id, side, now, action,
                                  {code: line.price for code, line in lines.items()}, (message or "").strip() or None)
        audit = AuditEvent("COMPANY", company.id, new_id(), f"rates.{action}", actor.id, now,
                           {f"tarif.{year}.{code}": {"before": str(card.lines[code].price) if card and code in card.lines
                                                     else None, "after": f"{line.price} ({line.status.value})"}
                            for code, line in lines.items()},
                           reason=step.message)
        try:
            self.catalogue.save_rate_card(new, card.version if card else None, step, audit)
        except ConditionFailed:
            raise stale_version() from None
        return new

    def _check_prices(self, company: Company, year: int, prices: dict[str, int]) -> None:
        if not prices:
            raise validation_failed([FieldError("lines", "missing", "Isi paling sedikit satu harga produk.")])
        products = {p.code: p for p in self.catalogue.products()}
        if problems := price_problems(prices, products, year, company.media_type):
            raise SeklikError("PRICE_NOT_ALLOWED",
                              "Sebagian harga tidak dapat diterima. Periksa isian yang ditandai.", 422, problems)

    def propose(self, actor: User, company_id: str, year: int, prices: dict[str, int], notes: dict[str, str],
                message: str | None, expected_version: int | None) -> RateCard:
        """The partner's prices; lines already agreed cannot be reopened."""
        company = self._company(actor, company_id)
        if company.owner_id != actor.id:
            raise forbidden("Hanya mitra yang mengajukan tarif; staf menawar balik atau menerima.")
        card, _ = self.catalogue.rate_card(company.id, year)
        expect_version(card.version if card else None, expected_version)
        if refused := line_refusals(card, "propose", prices):
            raise validation_failed(refused)
        self._check_prices(company, year, prices)
        lines = {code: RateLine(code, price, LineStatus.PROPOSED, (notes.get(code) or "").strip() or None)
                 for code, price in prices.items()}
        return self._step(actor, company, card, year, "proposed", lines, message)

    def counter(self, actor: User, company_id: str, year: int, prices: dict[str, int], message: str | None,
                expected_version: int) -> RateCard:
        """Order staff's prices for lines the partner proposed."""
        company = self._company(actor, company_id)
        card, _ = self.catalogue.rate_card(company.id, year)
        if card is None:
            raise not_found("Mitra belum mengajukan tarif untuk tahun ini.")
        expect_version(card.version, expected_version)
        if refused := line_refusals(card, "counter", prices):
            raise validation_failed(refused)
        self._check_prices(company, year, prices)
        lines = {code: RateLine(code, price, LineStatus.COUNTERED, card.lines[code].note) for code, price in prices.items()}
        return self._step(actor, company, card, year, "countered", lines, message)

    def accept(self, actor: User, company_id: str, year: int, codes: list[str], message: str | None,
               expected_version: int) -> RateCard:
        """Staff accept the partner's proposed lines; the partner accepts staff's counters."""
        company = self._company(actor, company_id)
        card, _ = self.catalogue.rate_card(company.id, year)
        if card is None:
            raise not_found("Belum ada tarif yang diajukan untuk tahun ini.")
        expect_version(card.version, expected_version)
        verb = "accept_counter" if is_partner(actor) else "accept_proposal"
        if not codes:
            raise validation_failed([FieldError("lines", "missing", "Pilih baris yang disetujui.")])
        if refused := line_refusals(card, verb, codes):
            raise validation_failed(refused)
        # The SSH may have been lowered since the price was set: check again.
        self._check_prices(company, year, {code: card.lines[code].price for code in codes})
        lines = {code: replace(card.lines[code], status=LineStatus.AGREED) for code in codes}
        return self._step(actor, company, card, year, "accepted", lines, message)


class AgreementService:
    def __init__(self, agreements: AgreementStore, catalogue: CatalogueStore, access: Access, uploads: UploadDesk,
                 clock: Clock = utc_now):
        self.agreements = agreements
        self.catalogue = catalogue
        self.access = access
        self.uploads = uploads
        self.clock = clock

    def get(self, actor: User, agreement_id: str) -> Agreement:
        agreement = self.agreements.get(agreement_id) if looks_like_id(agreement_id) else None
        if agreement is None:
            raise not_found("PKS tidak ditemukan.")
        self.access.company_for(actor, agreement.company_id)  # a partner sees only its own
        return agreement

    def of_company(self, actor: User, company_id: str) -> list[Agreement]:
        company = self.access.company_for(actor, company_id)
        return sorted(self.agreements.of_company(company.id), key=lambda a: a.year, reverse=True)

    def create(self, actor: User, company_id: str, year: int, number: str, starts_on: date, ends_on: date,
               ceiling: int) -> Agreement:
        company = self.access.cooperating_company(actor, company_id)
        card, _ = self.catalogue.rate_card(company.id, year)
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
            self.agreements.create(agreement, audit)
        except ConditionFailed as failure:
            if failure.refused_by("year_guard"):
                raise conflict("AGREEMENT_EXISTS", f"Mitra ini sudah memiliki PKS untuk tahun {year}.") from None
            if failure.refused_by("number_guard"):
                raise conflict("AGREEMENT_NUMBER_TAKEN", "Nomor PKS ini sudah dipakai PKS lain.") from None
            raise stale_version() from None  # a concurrent write got in the way
        return agreement

    def _move(self, actor: User, agreement_id: str, expected_version: int, verb: str,
              reason: str | None = None) -> Agreement:
        agreement = self.get(actor, agreement_id)
        expect_version(agreement.version, expected_version)
        moved = agreement.moved(verb)
        if verb == "activate":
            if agreement.ends_on < today_wib(self.clock()):
                raise conflict("AGREEMENT_PERIOD_OVER", "Masa berlaku PKS ini sudah lewat.")
            if not agreement.signed_document:
                raise conflict("AGREEMENT_NOT_SIGNED", "Unggah PKS yang sudah ditandatangani kedua pihak (PDF) "
                                                       "sebelum mengaktifkannya.")
        audit = AuditEvent("AGREEMENT", agreement.id, new_id(), f"agreement.{moved.status.value.lower()}", actor.id,
                           self.clock(), {"status": {"before": agreement.status.value, "after": moved.status.value}},
                           reason=reason)
        try:
            self.agreements.save(moved, agreement.version, audit)
        except ConditionFailed:
            raise stale_version() from None
        return self.agreements.get(agreement.id)

    # -- the signed PDF ----------------------------------------------------------------------

    def request_signed_upload(self, actor: User, agreement_id: str, filename: str, content_type: str, size: int):
        agreement = self.get(actor, agreement_id)
        agreement.check("sign")
        return self.uploads.grant("agreement", agreement.id, f"agreements/{agreement.id}", filename, content_type,
                                  size, actor.id, allowed=("application/pdf",))

    def attach_signed(self, actor: User, agreement_id: str, upload_id: str) -> Agreement:
        agreement = self.get(actor, agreement_id)
        agreement.check("sign")
        upload, document = self.uploads.take("agreement", agreement.id, upload_id)
        updated = agreement.with_signed_document(document.as_dict())
        before = agreement.signed_document["filename"] if agreement.signed_document else None
        audit = AuditEvent("AGREEMENT", agreement.id, new_id(), "agreement.signed_document", actor.id, self.clock(),
                           {"dokumen": {"before": before, "after": document.filename}},
                           reason=f"SHA-256 {document.sha256[:12]}…")
        try:
            self.agreements.attach_signed_document(updated, agreement.version, upload, audit)
        except ConditionFailed:
            self.uploads.discard(document)
            raise stale_version() from None
        self.uploads.finish(upload)
        return updated

    def signed_link(self, actor: User, agreement_id: str) -> str:
        agreement = self.get(actor, agreement_id)
        if not agreement.signed_document:
            raise not_found("PKS ini belum memiliki dokumen bertanda tangan.")
        doc = agreement.signed_document
        return self.uploads.download_link(doc["key"], doc["filename"], doc["content_type"])

    def activate(self, actor: User, agreement_id: str, expected_version: int) -> Agreement:
        return self._move(actor, agreement_id, expected_version, "activate")

    def close(self, actor: User, agreement_id: str, expected_version: int, reason: str) -> Agreement:
        reason = (reason or "").strip()
        if not reason:
            raise validation_failed([FieldError("reason", "missing", "Tuliskan alasan penutupan PKS.")])
        return self._move(actor, agreement_id, expected_version, "close", reason)
