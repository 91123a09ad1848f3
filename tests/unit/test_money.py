"""Rupiah in words and figures, and the taxes of a payment: exact to the rupiah."""

import pytest
from babel.numbers import format_currency

from chalicelib.domain.money import TaxPreview, rupiah, tax_preview, terbilang


@pytest.mark.parametrize(
    "amount, words",
    [
        (0, "nol rupiah"),  # allowed: a zero amount is still an amount (PPN of a non-PKP partner)
        (1, "satu rupiah"),
        (11, "sebelas rupiah"),
        (100, "seratus rupiah"),
        (1000, "seribu rupiah"),
        (1100, "seribu seratus rupiah"),
        (111_111, "seratus sebelas ribu seratus sebelas rupiah"),
        (1_500_000, "satu juta lima ratus ribu rupiah"),
        (2_750_000, "dua juta tujuh ratus lima puluh ribu rupiah"),
        (1_000_000_000, "satu miliar rupiah"),
    ],
)
def test_terbilang_says_the_amount_in_indonesian(amount, words):
    assert terbilang(amount) == words


@pytest.mark.parametrize("bad", [-1, 1.5, "1000", None, True])
def test_terbilang_refuses_negative_and_non_integer_amounts(bad):
    with pytest.raises(ValueError):
        terbilang(bad)


@pytest.mark.parametrize(
    "amount, text",
    [
        (0, "Rp0"),
        (500, "Rp500"),
        (1_000, "Rp1.000"),
        (1_500_000, "Rp1.500.000"),
        (1_000_000_000, "Rp1.000.000.000"),
        (-1_500_000, "-Rp1.500.000"),
    ],
)
def test_rupiah_uses_dots_and_no_decimals(amount, text):
    assert rupiah(amount) == text
    # The same text Babel's id_ID currency format gives (Babel stays out of the Lambda).
    assert rupiah(amount) == format_currency(amount, "IDR", locale="id_ID").replace("\xa0", "")


@pytest.mark.parametrize("bad", [1.0, "1", False])
def test_rupiah_refuses_non_integers(bad):
    with pytest.raises(ValueError):
        rupiah(bad)


def test_pkp_partner_price_includes_ppn_that_the_treasurer_collects():
    taxes = tax_preview(1_500_000, pkp=True)
    assert taxes == TaxPreview(
        gross=1_500_000,
        dpp=1_351_351,  # 1 500 000 × 100 / 111 = 1 351 351.35, rounded down
        ppn=148_649,
        pph23=27_027,  # 2 % of the DPP, rounded down
        net=1_324_324,
        ppn_percent=11,
        pph23_percent=2,
        pkp=True,
    )
    assert taxes.dpp + taxes.ppn == taxes.gross
    assert taxes.net == taxes.gross - taxes.ppn - taxes.pph23


def test_non_pkp_partner_charges_no_ppn():
    taxes = tax_preview(1_500_000, pkp=False)
    assert (taxes.dpp, taxes.ppn, taxes.pph23, taxes.net) == (1_500_000, 0, 30_000, 1_470_000)
    assert taxes.dpp + taxes.ppn == taxes.gross


@pytest.mark.parametrize("gross", [0, 1, 111, 999_999, 2_750_000, 123_456_789])
@pytest.mark.parametrize("pkp", [True, False])
def test_the_parts_always_add_up_to_the_gross(gross, pkp):
    taxes = tax_preview(gross, pkp=pkp)
    assert taxes.dpp + taxes.ppn == gross
    assert taxes.ppn + taxes.pph23 + taxes.net == gross
    assert min(taxes.dpp, taxes.ppn, taxes.pph23, taxes.net) >= 0


def test_other_rates_can_be_given():
    taxes = tax_preview(1_120_000, pkp=True, ppn_percent=12, pph23_percent=4)
    assert (taxes.dpp, taxes.ppn, taxes.pph23, taxes.net) == (1_000_000, 120_000, 40_000, 960_000)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"gross": -1},
        {"gross": 1.5},
        {"gross": 1000, "ppn_percent": -1},
        {"gross": 1000, "pph23_percent": 100},
        {"gross": 1000, "ppn_percent": 11.0},
    ],
)
def test_tax_preview_refuses_bad_amounts_and_rates(kwargs):
    with pytest.raises(ValueError):
        tax_preview(pkp=True, **kwargs)
