"""Use cases of the product catalogue and budget lines (admin and finance)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..adapters.agreements import BudgetStore
from ..adapters.catalogue import CatalogueStore
from ..adapters.table import ConditionFailed
from ..domain.accounts import AuditEvent, User
from ..domain.catalog import Product
from ..domain.clock import Clock, new_id, utc_now
from ..domain.orders import BudgetLine
from ..domain.press_company import MediaType
from ..errors import FieldError, conflict, not_found, validation_failed
from .access import expect_version, stale_version

_PRODUCT_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
# Kode rekening: dotted groups of digits, e.g. 5.1.02.02.01.0026.
_ACCOUNT_CODE = re.compile(r"^\d+(\.\d+){2,7}$")
MIN_YEAR, MAX_YEAR = 2020, 2100


def _year_problem(year: int) -> FieldError | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return FieldError("year", "invalid_year", f"Tahun anggaran harus antara {MIN_YEAR} dan {MAX_YEAR}.")
    return None


class CatalogService:
    def __init__(self, store: CatalogueStore, clock: Clock = utc_now):
        self.store = store
        self.clock = clock

    def products(self) -> list[Product]:
        return sorted(self.store.products(), key=lambda p: p.name.casefold())

    def product(self, code: str) -> Product:
        product = self.store.get_product(code) if _PRODUCT_CODE.match(code) else None
        if product is None:
            raise not_found("Produk tidak ditemukan di katalog.")
        return product

    def create_product(self, actor: User, code: str, name: str, unit: str, media_types: list[str]) -> Product:
        problems = []
        if not _PRODUCT_CODE.match(code):
            problems.append(FieldError("code", "invalid_code",
                                       "Kode produk 2–40 karakter: huruf kecil, angka, '-' atau '_', "
                                       "misalnya advertorial-online."))
        types = []
        for raw in media_types:
            try:
                types.append(MediaType(raw))
            except ValueError:
                problems.append(FieldError("media_types", "unknown_media_type",
                                           "Jenis media harus cetak, siber, televisi, atau radio."))
        if not media_types:
            problems.append(FieldError("media_types", "missing", "Pilih paling sedikit satu jenis media."))
        if problems:
            raise validation_failed(problems)
        now = self.clock()
        product = Product(code=code, name=name.strip(), unit=unit.strip(), media_types=frozenset(types))
        audit = AuditEvent("PRODUCT", code, new_id(), "product.created", actor.id, now,
                           {"name": {"before": None, "after": product.name}})
        try:
            self.store.create_product(product, audit)
        except ConditionFailed:
            raise conflict("PRODUCT_EXISTS", f"Kode produk '{code}' sudah dipakai. Pilih kode lain.") from None
        return product

    def set_ssh(self, actor: User, code: str, year: int, ceiling: int, expected_version: int) -> Product:
        """The SSH ceiling of a product for a fiscal year; it applies to new prices from now on."""
        product = self.product(code)
        problems = [p for p in [_year_problem(year)] if p]
        if ceiling < 1:
            problems.append(FieldError("ceiling", "invalid_amount", "SSH harus lebih dari nol (rupiah)."))
        if problems:
            raise validation_failed(problems)
        expect_version(product.version, expected_version)
        now = self.clock()
        updated = replace(product, ssh={**product.ssh, year: ceiling}, version=product.version + 1)
        audit = AuditEvent("PRODUCT", code, new_id(), "product.ssh_set", actor.id, now,
                           {f"ssh.{year}": {"before": product.ssh.get(year), "after": ceiling}})
        try:
            self.store.save_product(updated, product.version, audit)
        except ConditionFailed:
            raise stale_version() from None
        return updated


class BudgetService:
    def __init__(self, store: BudgetStore, clock: Clock = utc_now):
        self.store = store
        self.clock = clock

    def lines(self, year: int) -> list[BudgetLine]:
        if problem := _year_problem(year):
            raise validation_failed([problem])
        return sorted(self.store.lines(year), key=lambda line: line.code)

    def create_line(self, actor: User, year: int, code: str, name: str, ceiling: int) -> BudgetLine:
        problems = [p for p in [_year_problem(year)] if p]
        if not _ACCOUNT_CODE.match(code):
            problems.append(FieldError("code", "invalid_account_code",
                                       "Kode rekening berupa angka bertitik, misalnya 5.1.02.02.01.0026."))
        if ceiling < 1:
            problems.append(FieldError("ceiling", "invalid_amount", "Pagu harus lebih dari nol (rupiah)."))
        if problems:
            raise validation_failed(problems)
        line = BudgetLine(year=year, code=code, name=name.strip(), ceiling=ceiling)
        audit = AuditEvent("BUDGET", line.audit_id, new_id(), "budget.created", actor.id, self.clock(),
                           {"pagu": {"before": None, "after": ceiling}})
        try:
            self.store.create(line, audit)
        except ConditionFailed:
            raise conflict("BUDGET_LINE_EXISTS", f"Kode rekening {code} sudah ada untuk tahun {year}.") from None
        return line

    def change_ceiling(self, actor: User, year: int, code: str, ceiling: int, expected_version: int,
                       reason: str) -> BudgetLine:
        line = self.store.get(year, code)
        if line is None:
            raise not_found("Baris anggaran tidak ditemukan.")
        expect_version(line.version, expected_version)
        changed = line.with_ceiling(ceiling)
        audit = AuditEvent("BUDGET", line.audit_id, new_id(), "budget.ceiling_changed", actor.id,
                           self.clock(), {"pagu": {"before": line.ceiling, "after": ceiling}}, reason=reason)
        try:
            self.store.change_ceiling(changed, line.version, audit)
        except ConditionFailed:
            raise stale_version() from None
        return self.store.get(year, code)
