"""The books: chart of accounts and balanced journal entries (pure domain).

Money is integer rupiah. Every change of money is one journal entry whose
debits equal its credits, written in the same DynamoDB transaction as the
state change that caused it (see ``adapters/ledger.py`` and ``adapters/orders.py``).

Chart of accounts for the whole money cycle. Two groups that each balance on
their own:

*Commitment (budgetary) accounts* — money promised but not yet owed. They
follow the encumbrance method of government budget accounting: issuing a
media order reserves its amount against a budget line and an agreement.

| code | name | normal | moved by |
|---|---|---|---|
| 8100 | Komitmen pesanan media (encumbrances) | debit | order issued (Dr), order cancelled/declined or invoiced (Cr) |
| 8200 | Cadangan komitmen (reserve for encumbrances) | credit | the other side of 8100 |

*Financial accounts* — what is owed and paid:

| code | name | normal | moved by |
|---|---|---|---|
| 1101 | Kas di kas daerah (cash, SP2D) | debit | SP2D (Cr net), tax deposit (Cr), SP2D returned by the bank (Dr net) |
| 2101 | Utang kepada mitra media (payables; line dimension = partner) | credit | invoice approved (Cr gross), SP2D (Dr gross) |
| 2102 | Utang PPN dipungut (PPN collected, to remit) | credit | SP2D (Cr), deposited (Dr) |
| 2103 | Utang PPh 23 dipotong (PPh 23 withheld, to remit) | credit | SP2D (Cr), deposited (Dr) |
| 5101 | Belanja jasa publikasi media (expense) | debit | invoice approved (Dr gross) |

The entries of the money cycle (``approval_entry``, ``payment_entry``, ``deposit_entry``):

| step | Dr | Cr | amount |
|---|---|---|---|
| order issued | 8100 | 8200 | the order's total |
| invoice approved: the commitment realised | 8200 | 8100 | each order's reserved total |
| invoice approved: expense and payable | 5101 | 2101 | the gross |
| SP2D: the payable settled | 2101 | 1101 / 2102 / 2103 | net / PPN collected / PPh 23 |
| tax deposited | 2102 or 2103 | 1101 | the deposit |

Withholdings are posted at SP2D, not at approval: the tax is due at payment,
the PPN threshold applies per payment, and an approved invoice may still be
cancelled. An approval cancelled before SPP, or an SP2D the bank returned, is
undone by the exact reversal of its entry (``reversal``). After the whole
cycle the partner's payable and the tax payables are zero; 5101 holds the
gross. Each line carries dimensions (budget line, agreement, partner,
order or invoice, year) so reports can be cut by any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ACCOUNTS: dict[str, tuple[str, str]] = {
    "1101": ("Kas di kas daerah", "debit"),
    "2101": ("Utang kepada mitra media", "credit"),
    "2102": ("Utang PPN dipungut", "credit"),
    "2103": ("Utang PPh 23 dipotong", "credit"),
    "5101": ("Belanja jasa publikasi media", "debit"),
    "8100": ("Komitmen pesanan media", "debit"),
    "8200": ("Cadangan komitmen", "credit"),
}

CASH = "1101"
PAYABLE = "2101"
PPN_PAYABLE = "2102"
PPH23_PAYABLE = "2103"
EXPENSE = "5101"
COMMITMENT = "8100"
COMMITMENT_RESERVE = "8200"


@dataclass(frozen=True)
class JournalLine:
    account: str
    debit: int = 0
    credit: int = 0
    dimensions: dict = field(default_factory=dict)  # budget_line, agreement_id, company_id, order_id


@dataclass(frozen=True)
class JournalEntry:
    id: str
    posted_at: datetime
    description: str
    source: str  # e.g. "ORDER#<id>": what caused it
    lines: tuple[JournalLine, ...]

    def __post_init__(self) -> None:
        # An unbalanced or malformed entry is a programming error: refuse to build it at all.
        for line in self.lines:
            if line.account not in ACCOUNTS:
                raise ValueError(f"unknown account {line.account}")
            # bool is an int subclass; True rupiah is a bug, not an amount (as in domain.money).
            if any(not isinstance(amount, int) or isinstance(amount, bool) for amount in (line.debit, line.credit)):
                raise ValueError("amounts are integer rupiah")
            if line.debit < 0 or line.credit < 0 or (line.debit and line.credit) or not (line.debit or line.credit):
                raise ValueError("each line is either a positive debit or a positive credit")
        if len(self.lines) < 2 or self.total_debit != self.total_credit:
            raise ValueError("a journal entry must balance")

    @property
    def total_debit(self) -> int:
        return sum(line.debit for line in self.lines)

    @property
    def total_credit(self) -> int:
        return sum(line.credit for line in self.lines)


def commitment_entry(entry_id: str, at: datetime, amount: int, description: str, source: str,
                     dimensions: dict, release: bool = False) -> JournalEntry:
    """Reserve (or, with ``release``, give back) an amount of budget for an order."""
    debit, credit = (COMMITMENT_RESERVE, COMMITMENT) if release else (COMMITMENT, COMMITMENT_RESERVE)
    return JournalEntry(
        id=entry_id, posted_at=at, description=description, source=source,
        lines=(JournalLine(debit, debit=amount, dimensions=dimensions),
               JournalLine(credit, credit=amount, dimensions=dimensions)),
    )


def approval_entry(entry_id: str, at: datetime, gross: int, orders: list[tuple[int, dict]], description: str,
                   source: str, dimensions: dict) -> JournalEntry:
    """An approved invoice: each order's commitment realised, the expense and the payable recognised.

    ``orders`` are (reserved total, dimensions) of each order billed.
    """
    lines = [line for total, dims in orders for line in (JournalLine(COMMITMENT_RESERVE, debit=total, dimensions=dims),
                                                          JournalLine(COMMITMENT, credit=total, dimensions=dims))]
    lines += [JournalLine(EXPENSE, debit=gross, dimensions=dimensions),
              JournalLine(PAYABLE, credit=gross, dimensions=dimensions)]
    return JournalEntry(id=entry_id, posted_at=at, description=description, source=source, lines=tuple(lines))


def payment_entry(entry_id: str, at: datetime, gross: int, net: int, ppn: int, pph23: int, description: str,
                  source: str, dimensions: dict) -> JournalEntry:
    """An SP2D: the payable settled by the net paid and the taxes collected and withheld."""
    credits = [(CASH, net), (PPN_PAYABLE, ppn), (PPH23_PAYABLE, pph23)]
    lines = [JournalLine(PAYABLE, debit=gross, dimensions=dimensions)]
    lines += [JournalLine(account, credit=amount, dimensions=dimensions) for account, amount in credits if amount]
    return JournalEntry(id=entry_id, posted_at=at, description=description, source=source, lines=tuple(lines))


def reversal(entry: JournalEntry, entry_id: str, at: datetime, description: str) -> JournalEntry:
    """The exact opposite of ``entry``: every debit becomes a credit of the same amount, and back."""
    lines = tuple(JournalLine(line.account, debit=line.credit, credit=line.debit, dimensions=line.dimensions)
                  for line in entry.lines)
    return JournalEntry(id=entry_id, posted_at=at, description=description, source=entry.source, lines=lines)


def deposit_entry(entry_id: str, at: datetime, tax_account: str, lines: list[tuple[int, dict]], description: str,
                  source: str) -> JournalEntry:
    """Collected PPN (2102) or withheld PPh 23 (2103) paid into the state treasury, invoice by invoice."""
    if tax_account not in (PPN_PAYABLE, PPH23_PAYABLE):
        raise ValueError("a deposit settles 2102 or 2103")
    entry_lines = [line for amount, dims in lines for line in (JournalLine(tax_account, debit=amount, dimensions=dims),
                                                                JournalLine(CASH, credit=amount, dimensions=dims))]
    return JournalEntry(id=entry_id, posted_at=at, description=description, source=source, lines=tuple(entry_lines))
