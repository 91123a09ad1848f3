"""Indonesian identifiers and contact details: parse, normalise, or say what is wrong.

Each ``parse_*`` returns the normal form that is stored, or raises
``ValueError`` with an Indonesian message that tells the person how to fix
the input. Used by the press-company profile (pydantic validators) and by
any later form that asks for the same data.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

_DIGITS = re.compile(r"\d+")
_NPWP_DOTTED = re.compile(r"^\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}$")


def _only_digits(raw: str) -> str:
    return "".join(_DIGITS.findall(raw))


def parse_npwp(raw: str) -> str:
    """NPWP as 16 digits.

    Since 2024 the NPWP has 16 digits; an old 15-digit number (written
    ``99.999.999.9-999.999``) becomes 16 digits with a leading 0.
    """
    text = raw.strip()
    digits = _only_digits(text)
    looks_dotted = any(c in text for c in ".-")
    if looks_dotted and len(digits) == 15 and not _NPWP_DOTTED.match(text):
        raise ValueError("format NPWP 15 digit harus 99.999.999.9-999.999")
    if re.search(r"[^\d.\-\s]", text):
        raise ValueError("NPWP hanya berisi angka (boleh dengan titik dan tanda hubung)")
    if len(digits) == 15:
        return "0" + digits
    if len(digits) == 16:
        return digits
    raise ValueError(f"NPWP harus 15 atau 16 digit; yang diisi {len(digits)} digit")


def format_npwp(npwp16: str) -> str:
    """For display: the old dotted form when the number came from 15 digits."""
    if len(npwp16) == 16 and npwp16.startswith("0"):
        d = npwp16[1:]
        return f"{d[0:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:15]}"
    return npwp16


def parse_nib(raw: str) -> str:
    """NIB (Nomor Induk Berusaha): exactly 13 digits."""
    text = raw.strip().replace(" ", "")
    if not text.isdigit():
        raise ValueError("NIB hanya berisi angka")
    if len(text) != 13:
        raise ValueError(f"NIB harus 13 digit; yang diisi {len(text)} digit")
    return text


def parse_phone(raw: str) -> str:
    """An Indonesian phone number in +62 form: 0812-3456-7890 → +6281234567890."""
    text = raw.strip()
    if re.search(r"[^\d+\-\s().]", text):
        raise ValueError("nomor telepon hanya berisi angka, spasi, tanda hubung, kurung, atau + di depan")
    digits = _only_digits(text)
    if text.startswith("+"):
        if not digits.startswith("62"):
            raise ValueError("nomor telepon harus nomor Indonesia (+62)")
        national = digits[2:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise ValueError("tulis nomor telepon dengan awalan 0 atau +62, misalnya 0812-3456-7890")
    if national.startswith("0"):
        raise ValueError("setelah +62 jangan menulis angka 0 lagi")
    if not 8 <= len(national) <= 12:
        raise ValueError("nomor telepon terlalu pendek atau terlalu panjang; periksa lagi angkanya")
    return "+62" + national


def parse_url(raw: str) -> str:
    """A public web address (https or http) with a real host name."""
    text = raw.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"}:
        raise ValueError("alamat situs harus diawali https:// atau http://")
    if host == "localhost" or re.fullmatch(r"[\d.]+", host):
        raise ValueError("alamat situs harus nama domain publik, bukan alamat IP atau localhost")
    if "." not in host or host.startswith(".") or host.endswith(".") or " " in text:
        raise ValueError("alamat situs tidak valid; contoh: https://media.example.co.id")
    return text


def parse_postal_code(raw: str) -> str:
    text = raw.strip()
    if not re.fullmatch(r"\d{5}", text):
        raise ValueError("kode pos harus 5 angka")
    return text


def parse_kbli(raw: str) -> str:
    """KBLI (business classification) code: 5 digits, e.g. 63122 (portal web)."""
    text = raw.strip()
    if not re.fullmatch(r"\d{5}", text):
        raise ValueError("kode KBLI harus 5 angka, misalnya 63122")
    return text


# Indonesia's extent, with a margin: a point outside is a typo (swapped or missing sign).
LATITUDE_RANGE = (-11.5, 6.5)
LONGITUDE_RANGE = (94.5, 141.5)


def check_gps(latitude: float, longitude: float) -> tuple[float, float]:
    if not (LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1] and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]):
        raise ValueError("titik GPS berada di luar Indonesia; periksa lintang (−11 s.d. 6) dan bujur (95 s.d. 141)")
    return latitude, longitude


def check_not_in_future(value: date, today: date, what: str) -> date:
    if value > today:
        raise ValueError(f"{what} tidak boleh di masa depan")
    return value


_LEGAL_FORM_WORDS = {"pt", "perseroan", "terbatas", "tbk", "persero", "yayasan", "koperasi", "cv"}


def same_legal_name(account_holder: str, legal_name: str) -> bool:
    """Does a bank account holder name match the company's legal name?

    Banks print names in capitals, without punctuation, and sometimes drop
    or move "PT"; compare the words that remain.
    """
    def words(name: str) -> list[str]:
        return [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _LEGAL_FORM_WORDS]

    return bool(words(legal_name)) and words(account_holder) == words(legal_name)
