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

*Financial accounts* — what is owed and paid (invoices and payments, next stage):

| code | name | normal | moved by |
|---|---|---|---|
| 1101 | Kas di kas daerah (cash, SP2D) | debit | payment (Cr) |
| 2101 | Utang kepada mitra media (payables; line dimension = partner) | credit | invoice approved (Cr gross), taxes withheld (Dr), payment (Dr net) |
| 2102 | Utang PPN dipungut (PPN collected, to remit) | credit | invoice approved (Cr), remitted (Dr) |
| 2103 | Utang PPh 23 dipotong (PPh 23 withheld, to remit) | credit | invoice approved (Cr), remitted (Dr) |
| 5101 | Belanja jasa publikasi media (expense) | debit | invoice approved (Dr gross) |

Invoice approval (next issue) will: release the commitment (Dr 8200 / Cr 8100),
recognise the expense (Dr 5101 / Cr 2101 gross), and move the withheld taxes
(Dr 2101 / Cr 2102 PPN, Cr 2103 PPh 23); payment: Dr 2101 / Cr 1101 net.
Each line carries dimensions (budget line, agreement, partner, order) so
reports can be cut by any of them.
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
