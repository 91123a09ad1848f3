"""A year's public spending as open data: the tables (CSV and XLSX, through ``exports``) and an Open Contracting
Data Standard 1.1 release package.

OCDS: one contracting process per agreement (PKS), ocid ``<prefix>-<agreement id>``, one release carrying its
whole story — planning (the budget lines its orders were charged to), the tender as a direct award, the award with
the partner as supplier, the contract (period, ceiling) and its implementation transactions: each SP2D, and a
bank's return of one as a transaction of the opposite sign on its own date. Amounts are in IDR.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..domain.clock import WIB
from .exports import Column, Table
from .transparency import PartnerSpending, YearSpending

OCDS_VERSION = "1.1"
CONTRACT_STATUS = {"DRAFT": "pending", "ACTIVE": "active", "CLOSED": "terminated"}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


@dataclass(frozen=True)
class Publisher:
    """From ``config/transparency.json``."""

    first_year: int
    ocid_prefix: str
    name: str
    uri: str
    buyer_id: str
    buyer_name: str
    license: str
    publication_policy: str

    @classmethod
    def from_dict(cls, data: dict) -> "Publisher":
        return cls(int(data["first_year"]), data["ocid_prefix"], data["publisher"]["name"],
                   data["publisher"].get("uri", ""), data["buyer"]["id"], data["buyer"]["name"], data["license"],
                   data["publication_policy"])


def partners_table(spending: YearSpending) -> Table:
    return Table(
        f"Mitra {spending.year}",
        (Column("Nama media", width=28), Column("Badan usaha", width=32), Column("Jenis media", width=12),
         Column("Nomor PKS", width=30), Column("Masa PKS", width=24), Column("Nilai PKS", True),
         Column("Jumlah pesanan", width=10), Column("Nilai pesanan", True), Column("Pesanan selesai", True),
         Column("Ditagihkan", True), Column("Dibayar (SP2D, bruto)", True), Column("PPN dipungut", True),
         Column("PPh 23 dipotong", True)),
        tuple((p.media_name, p.legal_name, p.media_type, p.agreement["number"],
               f"{p.agreement['starts_on']} s.d. {p.agreement['ends_on']}", p.agreement["ceiling"], p.orders,
               p.ordered, p.completed, p.invoiced, p.paid, p.ppn_withheld, p.pph23_withheld)
              for p in spending.partners),
        (f"Data per {spending.as_of.isoformat(timespec='seconds')}. Dibayar = SP2D dikurangi SP2D yang dikembalikan "
         "bank (lihat lembar Perubahan).",),
    )


def budget_table(spending: YearSpending) -> Table:
    return Table(
        f"Kode rekening {spending.year}",
        (Column("Kode rekening", width=22), Column("Uraian", width=40), Column("Pagu", True),
         Column("Komitmen (pesanan)", True), Column("Utang (tagihan disetujui)", True),
         Column("Realisasi (SP2D)", True), Column("Sisa pagu", True)),
        tuple((b.code, b.name, b.ceiling, b.committed, b.payable, b.realised, b.remaining)
              for b in spending.budget_lines),
    )


def monthly_table(spending: YearSpending) -> Table:
    return Table(f"Bulanan {spending.year}", (Column("Bulan", width=14), Column("Dibayar (SP2D, bruto)", True)),
                 tuple((month_name(key), amount) for key, amount in spending.monthly))


def month_name(key: str) -> str:
    """"2027-03" → "Maret 2027"."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def changes_table(spending: YearSpending) -> Table:
    names = {p.company_id: p.media_name for p in spending.partners}
    return Table(f"Perubahan {spending.year}",
                 (Column("Tanggal", width=12), Column("Mitra", width=28), Column("Uraian", width=50),
                  Column("Perubahan", True)),
                 tuple((c.on.isoformat(), names[c.company_id], c.description, c.amount) for c in spending.changes))


def tables(spending: YearSpending) -> list[Table]:
    return [partners_table(spending), budget_table(spending), monthly_table(spending), changes_table(spending)]


def ocid(publisher: Publisher, agreement_id: str) -> str:
    return f"{publisher.ocid_prefix}-{agreement_id}"


def _money(amount: int) -> dict:
    return {"amount": amount, "currency": "IDR"}


def _day(iso_date: str, end: bool = False) -> str:
    return f"{iso_date}T23:59:59+07:00" if end else f"{iso_date}T00:00:00+07:00"


def _release(publisher: Publisher, spending: YearSpending, partner: PartnerSpending, agreement_id: str,
             published: str) -> dict:
    buyer = {"id": publisher.buyer_id, "name": publisher.buyer_name}
    supplier = {"id": f"SEKLIK-{partner.company_id}", "name": partner.legal_name}
    charged = sorted(partner.budget_lines)
    lines = {b.code: b for b in spending.budget_lines}
    agreement = partner.agreement
    period = {"startDate": _day(agreement["starts_on"]), "endDate": _day(agreement["ends_on"], end=True)}
    transactions = [{
        "id": payment.entry_id,
        "date": f"{payment.on.isoformat()}T12:00:00+07:00",
        "value": _money(payment.amount),
        "payer": buyer,
        "payee": supplier,
    } for payment in partner.payments]
    release = {
        "ocid": ocid(publisher, agreement_id),
        "date": published,
        "tag": ["planning", "tender", "award", "contract", "implementation"],
        "initiationType": "tender",
        "language": "id",
        "parties": [
            {**buyer, "roles": ["buyer", "procuringEntity", "payer"]},
            {**supplier, "roles": ["supplier", "payee"],
             "details": {"mediaName": partner.media_name, "mediaType": partner.media_type}},
        ],
        "buyer": buyer,
        "planning": {"budget": {
            "id": " ".join(charged) or f"{spending.year}",
            "description": "; ".join(f"{code} {lines[code].name}" for code in charged if code in lines)
            or f"Belanja jasa publikasi media tahun anggaran {spending.year}",
            "amount": _money(sum(lines[code].ceiling for code in charged if code in lines)),
        }},
        "tender": {
            "id": f"{agreement_id}-tender",
            "title": f"Kerja sama publikasi media {spending.year}: {partner.media_name}",
            "status": "complete",
            "procurementMethod": "direct",
            "procurementMethodDetails": "Penunjukan langsung dengan negosiasi tarif (kerja sama media)",
            "mainProcurementCategory": "services",
            "procuringEntity": buyer,
        },
        "awards": [{
            "id": f"{agreement_id}-award",
            "title": f"PKS {agreement['number']}",
            "status": "active",
            "value": _money(agreement["ceiling"]),
            "suppliers": [supplier],
            "contractPeriod": period,
        }],
        "contracts": [{
            "id": agreement_id,
            "awardID": f"{agreement_id}-award",
            "title": f"PKS {agreement['number']}",
            "status": CONTRACT_STATUS.get(agreement["status"], "pending"),
            "period": period,
            "value": _money(agreement["ceiling"]),
            "implementation": {"transactions": transactions},
        }],
    }
    # A release id names what it says: the same facts keep their id from one package to the next, and any change
    # (a payment, a return, a new order's budget line) makes a new release of the same ocid.
    facts = json.dumps({k: v for k, v in release.items() if k != "date"}, sort_keys=True, ensure_ascii=False)
    return {"ocid": release.pop("ocid"), "id": f"{agreement_id}-{hashlib.sha256(facts.encode()).hexdigest()[:16]}",
            **release}


def ocds_package(publisher: Publisher, spending: YearSpending, site_url: str) -> dict:
    """The year's OCDS 1.1 release package (one release per agreement)."""
    published = spending.as_of.astimezone(WIB).replace(microsecond=0).isoformat()
    return {
        "uri": f"{site_url.rstrip('/')}/api/v1/public/spending/{spending.year}/files/ocds.json",
        "version": OCDS_VERSION,
        "publishedDate": published,
        "publisher": {"name": publisher.name, **({"uri": publisher.uri} if publisher.uri else {})},
        "license": publisher.license,
        "publicationPolicy": publisher.publication_policy,
        "releases": [_release(publisher, spending, p, p.agreement["id"], published) for p in spending.partners],
    }
