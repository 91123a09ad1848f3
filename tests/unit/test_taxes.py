"""Taxes on a payment as the research file's nine worked cases (golden figures), and dated rules."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from chalicelib.domain.taxes import Faktur, TaxRule, TaxRules, compute_taxes
from chalicelib.errors import SeklikError

CONFIG = Path(__file__).resolve().parents[2] / "functions" / "chalicelib" / "config" / "taxes.json"
RULES = TaxRules.from_dict(json.loads(CONFIG.read_text(encoding="utf-8")))
TODAY = RULES.on(date(2026, 12, 2))

# case: (gross, pkp, has_npwp, faktur) → (base H, PPN, collected, PPh 23, net, meterai)
CASES = {
    "A": ((5_550_000, True, True, None), (5_000_000, 550_000, True, 100_000, 4_900_000, True)),
    "B": ((1_500_000, True, True, None), (1_351_351, 148_649, False, 27_027, 1_472_973, False)),
    "C": ((2_000_000, True, True, None), (1_801_801, 198_199, False, 36_036, 1_963_964, False)),
    "D": ((2_220_000, True, True, None), (2_000_000, 220_000, True, 40_000, 1_960_000, False)),
    "E": ((3_000_000, False, True, None), (3_000_000, 0, False, 60_000, 2_940_000, False)),
    "F": ((3_000_000, False, False, None), (3_000_000, 0, False, 120_000, 2_880_000, False)),
    "G": ((4_995_000, True, True, None), (4_500_000, 495_000, True, 90_000, 4_410_000, False)),
    "H": ((16_650_000, True, True, None), (15_000_000, 1_650_000, True, 300_000, 14_700_000, True)),
    "I": ((7_500_000, True, True, Faktur(tax_base=6_756_757, vat=743_243)),
          (6_756_757, 743_243, True, 135_135, 6_621_622, True)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_worked_cases(case):
    (gross, pkp, npwp, faktur), (base, ppn, collected, pph23, net, meterai) = CASES[case]
    taxes = compute_taxes(gross, pkp, npwp, TODAY, faktur)
    assert (taxes.base, taxes.ppn, taxes.ppn_collected, taxes.pph23, taxes.net, taxes.needs_meterai) == \
        (base, ppn, collected, pph23, net, meterai)
    assert taxes.base + taxes.ppn == gross == taxes.gross  # the gross is never changed by taxes
    assert taxes.pph23_object_code == "24-104-34"


def test_without_the_faktur_case_i_rounds_the_base_down_and_a_faktur_off_by_more_than_a_rupiah_is_refused():
    plain = compute_taxes(7_500_000, True, True, TODAY)
    assert (plain.base, plain.ppn) == (6_756_756, 743_244)
    with pytest.raises(SeklikError) as refused:
        compute_taxes(7_500_000, True, True, TODAY, Faktur(tax_base=6_700_000, vat=800_000))
    (detail,) = refused.value.details
    assert detail.field == "faktur.tax_base" and "Rp6.756.756 atau Rp6.756.757" in detail.message
    with pytest.raises(SeklikError):  # right VAT, but the two do not add up to the invoice
        compute_taxes(7_500_000, True, True, TODAY, Faktur(tax_base=6_756_756, vat=743_243))


def test_a_rule_applies_from_its_date_and_the_earlier_one_before_it():
    later = TaxRule(effective_from=date(2027, 7, 1), ppn_rate=Fraction(12, 100), ppn_base_factor=Fraction(11, 12),
                    ppn_collection_threshold=10_000_000, pph23_rate=Fraction(3, 100), pph23_no_npwp_multiplier=2,
                    pph23_object_code="24-104-34", meterai_threshold=5_000_000)
    rules = TaxRules([*RULES.rules, later])
    before, after = rules.on(date(2027, 6, 30)), rules.on(date(2027, 7, 1))
    assert compute_taxes(5_550_000, True, True, before).net == 4_900_000
    moved = compute_taxes(5_550_000, True, True, after)
    assert (moved.ppn_collected, moved.pph23, moved.net, moved.rule_from) == (False, 150_000, 5_400_000,
                                                                              date(2027, 7, 1))
    with pytest.raises(ValueError):
        rules.on(date(2020, 1, 1))  # no rule was in force yet


@pytest.mark.parametrize("gross", [0, -1, True, 1.5, "100"])
def test_amounts_are_positive_integer_rupiah(gross):
    with pytest.raises(ValueError):
        compute_taxes(gross, True, True, TODAY)
