"""Rupiah amounts: in words (*terbilang*), in figures, and the taxes on a payment.

Amounts are whole rupiah as ``int`` everywhere; there is no sen in a
government purchase. Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass



def _require_amount(amount: object, *, allow_negative: bool) -> int:
    # bool is an int subclass; True rupiah is a bug, not an amount.
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise ValueError(f"jumlah rupiah harus bilangan bulat, bukan {type(amount).__name__}")
    if amount < 0 and not allow_negative:
        raise ValueError(f"jumlah rupiah tidak boleh negatif: {amount}")
    return amount


def terbilang(amount: int) -> str:
    """The amount in Indonesian words, lower case, ending in "rupiah".

    ``1500000`` → ``"satu juta lima ratus ribu rupiah"``. Zero is allowed and
    gives ``"nol rupiah"`` (a valid amount, e.g. PPN of a non-PKP partner).
    num2words already says "seratus", "seribu", "sebelas" and "miliar"
    correctly, so its output is used as is. Lower case so the caller can put
    it mid-sentence or capitalise the first letter for a "Terbilang:" line.
    """
    from num2words import num2words  # only where amounts are written in words (papers), not at every cold start

    _require_amount(amount, allow_negative=False)
    return f"{num2words(amount, lang='id')} rupiah"


def rupiah(amount: int) -> str:
    """``Rp1.500.000``; negative ``-Rp1.500.000``.

    The same text Babel gives for ``format_currency(n, "IDR", locale="id_ID")``,
    written by hand so the Lambda package does not carry Babel's locale data.
    """
    _require_amount(amount, allow_negative=True)
    figures = f"{abs(amount):,}".replace(",", ".")
    return f"-Rp{figures}" if amount < 0 else f"Rp{figures}"


@dataclass(frozen=True)
class TaxPreview:
    """What happens to a gross amount at payment; every figure whole rupiah.

    ``gross == dpp + ppn`` and ``net == gross - ppn - pph23`` always hold.
    """

    gross: int
    dpp: int
    ppn: int
    pph23: int
    net: int
    ppn_percent: int
    pph23_percent: int
    pkp: bool


def tax_preview(gross: int, pkp: bool, ppn_percent: int = 11, pph23_percent: int = 2) -> TaxPreview:
    """Taxes on a government purchase of services whose prices include PPN.

    - PPN: since 2025 the rate is 12 % on a *DPP nilai lain* of 11/12 of the
      price, i.e. an effective 11 % (PMK 131/2024), so ``ppn_percent`` is 11.
      Prices include PPN, so for a PKP partner ``DPP = gross × 100 / (100 +
      ppn_percent)``, rounded down to the rupiah, and ``PPN = gross − DPP``
      (so the rounding never loses a rupiah). A partner that is not PKP
      charges no PPN: ``DPP = gross``, ``PPN = 0``.
    - PPh 23: 2 % of the DPP on services (advertising/media services),
      rounded down. A partner without NPWP would owe 100 % more; partners here
      are verified with an NPWP, so that case is left to ``pph23_percent``.
    - A government treasurer (*bendahara*) collects the PPN and withholds the
      PPh 23 and pays the rest: ``net = gross − PPN − PPh 23``.

    A preview for the order letter, not the tax calculation of the payment:
    it does not model the treasurer's threshold (no PPN collection on a
    payment of at most Rp2.000.000 including PPN, PMK 59/2022), under which
    the partner would receive the PPN and remit it itself.
    """
    _require_amount(gross, allow_negative=False)
    for name, percent in (("ppn_percent", ppn_percent), ("pph23_percent", pph23_percent)):
        if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent < 100:
            raise ValueError(f"{name} harus bilangan bulat 0–99: {percent!r}")
    dpp = gross * 100 // (100 + ppn_percent) if pkp else gross
    ppn = gross - dpp
    pph23 = dpp * pph23_percent // 100
    return TaxPreview(
        gross=gross,
        dpp=dpp,
        ppn=ppn,
        pph23=pph23,
        net=gross - ppn - pph23,
        ppn_percent=ppn_percent,
        pph23_percent=pph23_percent,
        pkp=bool(pkp),
    )
