"""The books' domain rules: an entry is balanced integer rupiah on known accounts, or it is not built at all."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from chalicelib.domain.ledger import (
    ACCOUNTS,
    COMMITMENT,
    COMMITMENT_RESERVE,
    JournalEntry,
    JournalLine,
    commitment_entry,
)

AT = datetime(2027, 3, 2, 1, 0, tzinfo=timezone.utc)
DIMENSIONS = {"budget_line": "5.1.02.02.01.0026", "agreement_id": "A1", "company_id": "C1", "order_id": "O1",
              "year": 2027}


def entry(*lines: JournalLine) -> JournalEntry:
    return JournalEntry(id="E1", posted_at=AT, description="Uji", source="ORDER#O1", lines=tuple(lines))


def test_a_balanced_entry_is_built_with_its_totals():
    built = entry(JournalLine("5101", debit=1_110_000), JournalLine("2101", credit=1_000_000),
                  JournalLine("2102", credit=110_000))
    assert built.total_debit == built.total_credit == 1_110_000


@pytest.mark.parametrize("lines", [
    (JournalLine("8100", debit=1_000_000), JournalLine("8200", credit=999_999)),
    (JournalLine("8100", debit=1), JournalLine("8200", debit=1)),
    (JournalLine("8100", debit=1_000_000),),  # one line cannot balance anything
    (),
], ids=["debit-over-credit", "two-debits", "one-line", "no-lines"])
def test_an_unbalanced_entry_is_refused(lines):
    with pytest.raises(ValueError, match="balance"):
        entry(*lines)


@pytest.mark.parametrize("account", ["9999", "810", "", "8100 ", "kas"])
def test_an_unknown_account_is_refused(account):
    with pytest.raises(ValueError, match="unknown account"):
        entry(JournalLine(account, debit=500), JournalLine("8200", credit=500))


@pytest.mark.parametrize("amount", [1.0, 1_000_000.5, Decimal("1000000"), "1000000", None, True],
                         ids=["float", "fraction", "decimal", "text", "none", "bool"])
def test_amounts_are_integer_rupiah(amount):
    # True would pass for 1 rupiah if bool were taken as an int: a bug, not an amount (as in domain.money).
    with pytest.raises(ValueError):
        entry(JournalLine("8100", debit=amount), JournalLine("8200", credit=1))
    with pytest.raises(ValueError):
        entry(JournalLine("8100", debit=1), JournalLine("8200", credit=amount))


@pytest.mark.parametrize("debit, credit", [(-1, 0), (0, -1), (-500, -500)])
def test_negative_amounts_are_refused(debit, credit):
    with pytest.raises(ValueError, match="positive"):
        entry(JournalLine("8100", debit=debit, credit=credit), JournalLine("8200", credit=1))


def test_a_line_is_either_a_debit_or_a_credit():
    with pytest.raises(ValueError, match="either"):
        # Balanced in total, but the first line is both sides at once.
        entry(JournalLine("8100", debit=500, credit=500), JournalLine("8200", credit=500),
              JournalLine("5101", debit=500))
    with pytest.raises(ValueError, match="either"):
        entry(JournalLine("8100"), JournalLine("8200", debit=1), JournalLine("2101", credit=1))  # an empty line


def test_a_commitment_reserves_on_8100_against_8200():
    reserved = commitment_entry("E1", AT, 3_000_000, "Pesanan media 001", "ORDER#O1", DIMENSIONS)
    assert [(line.account, line.debit, line.credit) for line in reserved.lines] == [
        (COMMITMENT, 3_000_000, 0), (COMMITMENT_RESERVE, 0, 3_000_000)]
    assert ACCOUNTS[COMMITMENT][1] == "debit" and ACCOUNTS[COMMITMENT_RESERVE][1] == "credit"
    assert all(line.dimensions == DIMENSIONS for line in reserved.lines)
    assert (reserved.id, reserved.posted_at, reserved.source) == ("E1", AT, "ORDER#O1")


@pytest.mark.parametrize("amount", [1, 1_250_000, 999_999_999_999])
def test_a_release_mirrors_its_reservation(amount):
    reserved = commitment_entry("E1", AT, amount, "Pesanan", "ORDER#O1", DIMENSIONS)
    released = commitment_entry("E2", AT, amount, "Pelepasan", "ORDER#O1", DIMENSIONS, release=True)
    mirrored = {(line.account, line.credit, line.debit) for line in reserved.lines}
    assert {(line.account, line.debit, line.credit) for line in released.lines} == mirrored
    assert released.total_debit == reserved.total_debit == amount
    # Together they leave every account where it was.
    net: dict[str, int] = {}
    for line in (*reserved.lines, *released.lines):
        net[line.account] = net.get(line.account, 0) + line.debit - line.credit
    assert net == {COMMITMENT: 0, COMMITMENT_RESERVE: 0}
    assert all(line.dimensions == DIMENSIONS for line in released.lines)


@pytest.mark.parametrize("amount", [0, -1, 1.5, True])
def test_a_commitment_of_no_money_or_not_money_is_refused(amount):
    for release in (False, True):
        with pytest.raises(ValueError):
            commitment_entry("E1", AT, amount, "Pesanan", "ORDER#O1", DIMENSIONS, release=release)
