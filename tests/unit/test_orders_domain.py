"""The order cycle's rules as the domain states them: prices from the agreement, reservations within
both ceilings, answers and cancellation, proofs and their review, slots and fiscal years."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from chalicelib.domain.ledger import COMMITMENT, COMMITMENT_RESERVE
from chalicelib.domain.orders import (
    Agreement,
    AgreementStatus,
    BudgetLine,
    Material,
    Order,
    OrderStatus,
    Proof,
    Slot,
    SlotStatus,
    fiscal_year,
    make_slots,
)
from chalicelib.domain.workflow import TransitionRefused
from chalicelib.errors import SeklikError

AT = datetime(2027, 3, 1, 3, 0, tzinfo=timezone.utc)  # 10.00 WIB, the first slot's day
NEXT_DAY = datetime(2027, 3, 2, 3, 0, tzinfo=timezone.utc)


def agreement(**changes) -> Agreement:
    base = Agreement(id="01AGREEMENT0000000000000000", company_id="c", year=2027, number="PKS/7/2027",
                     starts_on=date(2027, 1, 1), ends_on=date(2027, 6, 30), rates={"advertorial": 1_000_000},
                     ceiling=5_000_000, reserved=3_000_000, status=AgreementStatus.ACTIVE)
    return replace(base, **changes)


def order(slots=2, **changes) -> Order:
    base = Order(id="01ORDER000000000000000000A", number="000.9.2/001/MO/X/2027", year=2027, seq=1, company_id="c",
                 agreement_id="a", product_code="advertorial", product_name="Advertorial", unit="per artikel",
                 material=Material("text", "Judul"), slots=tuple(Slot(date(2027, 3, d), date(2027, 3, d))
                                                                 for d in range(1, slots + 1)),
                 unit_price=1_000_000, budget_line="5.1.02", issued_by="staff", issued_at=AT)
    return replace(base, **changes)


def proof() -> Proof:
    return Proof(("https://media.example.co.id/berita/1",), (), AT, "partner")


def refused(code: str):
    return pytest.raises(SeklikError, match=f"^{code}:")


# -- agreement and budget line ----------------------------------------------------------------

def test_the_unit_price_comes_from_an_active_agreement_for_slots_inside_its_period():
    slots = make_slots([date(2027, 2, 1)], None)
    assert agreement().unit_price("advertorial", "Advertorial", slots) == 1_000_000
    with refused("NO_ACTIVE_AGREEMENT") as caught:
        agreement(status=AgreementStatus.CLOSED).unit_price("advertorial", "Advertorial", slots)
    assert "PKS/7/2027" in str(caught.value)
    with refused("VALIDATION_FAILED") as caught:
        agreement().unit_price("spot-radio", "Spot radio", slots)
    assert caught.value.details[0].code == "not_in_agreement"
    with refused("VALIDATION_FAILED") as caught:
        agreement().unit_price("advertorial", "Advertorial", make_slots([date(2027, 7, 1)], None))
    assert caught.value.details[0].code == "outside_agreement"


@pytest.mark.parametrize("make,what", [(agreement, "nilai PKS PKS/7/2027"),
                                       (lambda: BudgetLine(2027, "5.1.02", "Jasa iklan", 5_000_000, 3_000_000),
                                        "pagu kode rekening 5.1.02")])
def test_a_reservation_fits_within_the_ceiling_to_the_rupiah_and_no_further(make, what):
    holder = make()
    assert holder.reserve(2_000_000).reserved == 5_000_000  # exactly the remaining amount
    assert holder.reserved == 3_000_000  # the original is unchanged (frozen)
    with refused("CEILING_EXCEEDED") as caught:
        holder.reserve(2_000_001)
    assert caught.value.status == 409 and what in caught.value.message
    assert "Rp2.000.001 " in caught.value.message and "yaitu Rp2.000.000." in caught.value.message
    assert what + " lain" not in caught.value.message  # the code is not where "another one" belongs


def test_a_pagu_never_goes_below_what_is_reserved():
    line = BudgetLine(2027, "5.1.02", "Jasa iklan", 5_000_000, 3_000_000, version=4)
    assert line.with_ceiling(3_000_000).ceiling == 3_000_000
    assert line.with_ceiling(3_000_000).version == 5
    with refused("VALIDATION_FAILED") as caught:
        line.with_ceiling(2_999_999)
    assert caught.value.details[0].code == "below_reserved"


def test_an_agreement_is_signed_only_as_a_draft_and_moves_through_its_verbs():
    draft = agreement(status=AgreementStatus.DRAFT, version=1)
    signed = draft.with_signed_document({"key": "k", "filename": "pks.pdf", "sha256": "0" * 64, "size": 10})
    assert signed.version == 2 and signed.moved("activate").status == AgreementStatus.ACTIVE
    with pytest.raises(TransitionRefused):
        agreement().with_signed_document({})
    with pytest.raises(TransitionRefused):
        draft.moved("close")


# -- orders ---------------------------------------------------------------------------------------

def test_an_order_costs_its_slots_at_the_agreed_price_and_books_a_balanced_commitment():
    issued = order(slots=3)
    assert issued.total == 3_000_000
    entry = issued.commitment("01ENTRY0000000000000000000", AT)
    assert [(l.account, l.debit, l.credit) for l in entry.lines] == [(COMMITMENT, 3_000_000, 0),
                                                                      (COMMITMENT_RESERVE, 0, 3_000_000)]
    assert entry.lines[0].dimensions["order_id"] == issued.id
    released = issued.declined(AT, "Jadwal penuh").release("01ENTRY0000000000000000001", AT)
    assert [(l.account, l.debit, l.credit) for l in released.lines] == [(COMMITMENT_RESERVE, 3_000_000, 0),
                                                                         (COMMITMENT, 0, 3_000_000)]
    assert "ditolak" in released.description.lower()


def test_answers_move_the_order_once_and_need_a_reason_to_say_no():
    issued = order()
    accepted = issued.accepted(AT)
    assert (accepted.status, accepted.version) == (OrderStatus.ACCEPTED, 2)
    with refused("VALIDATION_FAILED"):
        issued.declined(AT, "   ")
    declined = issued.declined(AT, " Jadwal penuh ")
    assert (declined.status, declined.status_reason) == (OrderStatus.DECLINED, "Jadwal penuh")
    with refused("ORDER_STATE"):
        accepted.declined(AT, "terlambat")  # the state is checked before the reason
    with refused("ORDER_STATE"):
        declined.accepted(AT)


def test_an_order_is_cancelled_only_before_any_proof():
    accepted = order().accepted(AT)
    assert accepted.cancelled(AT, "Anggaran dialihkan").status == OrderStatus.CANCELLED
    proven = accepted.with_proof(0, proof(), AT)
    with refused("ALREADY_PUBLISHED"):
        proven.cancelled(AT, "Anggaran dialihkan")
    with refused("ORDER_STATE"):
        order().declined(AT, "x").cancelled(AT, "y")


def test_proofs_come_after_acceptance_and_the_last_accepted_proof_completes_the_order():
    with refused("ORDER_STATE"):
        order().with_proof(0, proof(), AT)
    accepted = order().accepted(AT)
    with refused("VALIDATION_FAILED"):
        accepted.with_proof(5, proof(), AT)
    first = accepted.with_proof(0, proof(), AT)
    assert first.slots[0].status == SlotStatus.SUBMITTED
    with refused("SLOT_STATE"):
        first.with_proof(0, proof(), AT)  # already waiting for review
    with refused("VALIDATION_FAILED"):
        first.with_review(0, False, " ", "verifier", AT)  # a rejection needs its reason
    rejected = first.with_review(0, False, "Tautan mati", "verifier", AT)
    assert (rejected.slots[0].status, rejected.slots[0].review_reason) == (SlotStatus.REJECTED, "Tautan mati")
    again = rejected.with_proof(0, proof(), AT)
    assert again.slots[0].review_reason is None
    one = again.with_review(0, True, None, "verifier", AT)
    assert one.status == OrderStatus.ACCEPTED
    with refused("SLOT_STATE"):
        one.with_review(1, True, None, "verifier", AT)  # slot 1 has no proof yet
    done = one.with_proof(1, proof(), NEXT_DAY).with_review(1, True, None, "verifier", NEXT_DAY)
    assert done.status == OrderStatus.COMPLETED
    with refused("SLOT_STATE"):
        done.with_review(1, True, None, "verifier", NEXT_DAY)


def test_a_proof_is_sent_and_accepted_only_from_its_slots_first_day_in_wib():
    accepted = order().accepted(AT)  # slot 1 is to be published on 2 March
    eve = datetime(2027, 3, 1, 16, 59, tzinfo=timezone.utc)  # 23.59 WIB on 1 March
    with refused("PROOF_TOO_EARLY") as early:
        accepted.with_proof(1, proof(), eve)
    assert "baru dapat dikirim mulai 2 Maret 2027" in str(early.value)
    midnight_wib = datetime(2027, 3, 1, 17, 0, tzinfo=timezone.utc)  # still 1 March in UTC
    sent = accepted.with_proof(1, proof(), midnight_wib)
    assert sent.slots[1].status == SlotStatus.SUBMITTED
    window = replace(accepted, slots=(Slot(date(2027, 3, 10), date(2027, 3, 20)),))
    with refused("PROOF_TOO_EARLY"):
        window.with_proof(0, proof(), NEXT_DAY)  # a window opens on its first day
    # A proof already waiting for review (sent before this rule) is not accepted before the day either,
    # while a rejection is always possible.
    early_proof = replace(sent, slots=(sent.slots[0], replace(sent.slots[1], starts_on=date(2027, 3, 5),
                                                              ends_on=date(2027, 3, 5))))
    with refused("PROOF_TOO_EARLY") as review:
        early_proof.with_review(1, True, None, "verifier", NEXT_DAY)
    assert "baru dapat diterima mulai 5 Maret 2027" in str(review.value)
    assert early_proof.with_review(1, False, "Terlalu awal", "verifier", NEXT_DAY).slots[1].status \
        == SlotStatus.REJECTED


# -- slots ------------------------------------------------------------------------------------------

def test_slots_are_days_or_a_window_with_a_quantity_never_both():
    assert [s.starts_on.day for s in make_slots([date(2027, 3, 5), date(2027, 3, 2)], None)] == [2, 5]
    window = make_slots(None, (date(2027, 3, 1), date(2027, 3, 31), 3))
    assert len(window) == 3 and all(s.ends_on == date(2027, 3, 31) for s in window)
    for dates, span, code in [(None, None, "one_of"), ([date(2027, 3, 1)], (date(2027, 3, 1), date(2027, 3, 2), 1),
                                                        "one_of"),
                              ([date(2027, 3, 1)] * 2, None, "duplicate"),
                              (None, (date(2027, 3, 2), date(2027, 3, 1), 1), "invalid_range"),
                              (None, (date(2027, 3, 1), date(2027, 3, 2), 0), "invalid_quantity"),
                              (None, (date(2027, 1, 1), date(2027, 12, 31), 367), "too_many")]:
        with refused("VALIDATION_FAILED") as caught:
            make_slots(dates, span)
        assert code in [d.code for d in caught.value.details]


def test_an_order_stays_in_one_fiscal_year():
    assert fiscal_year(make_slots([date(2027, 12, 31)], None)) == 2027
    with refused("VALIDATION_FAILED") as caught:
        fiscal_year(make_slots(None, (date(2027, 12, 1), date(2028, 1, 15), 1)))
    assert caught.value.details[0].code == "across_years"
