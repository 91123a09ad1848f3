"""Prices against the catalogue and its SSH ceilings: each problem named, in plain words."""

from chalicelib.domain.catalog import Product, price_problems
from chalicelib.domain.press_company import MediaType

SPOT = Product("spot-radio", "Spot radio, 60 detik", "per spot", frozenset({MediaType.RADIO}), {2027: 1_250_000})


def problems(prices, media=MediaType.RADIO, year=2027):
    return [(p.field, p.code, p.message) for p in price_problems(prices, {SPOT.code: SPOT}, year, media)]


def test_a_price_within_the_ssh_passes():
    assert problems({"spot-radio": 1_250_000}) == []


def test_a_price_over_the_ssh_names_both_amounts_and_keeps_the_product_name_as_written():
    [(field, code, message)] = problems({"spot-radio": 1_300_000})
    assert (field, code) == ("lines.spot-radio", "above_ssh")
    assert "Spot radio, 60 detik Rp1.300.000" in message and "Rp1.250.000 per spot" in message


def test_other_problems_are_named():
    assert problems({"banner": 10})[0][1] == "unknown_product"
    assert problems({"spot-radio": 10}, media=MediaType.SIBER)[0][1] == "product_not_for_media"
    assert problems({"spot-radio": 10}, year=2028)[0][1] == "no_ssh"
    assert problems({"spot-radio": 0})[0][1] == "price_too_low"
