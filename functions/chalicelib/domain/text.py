"""What free text people type may be: normalised, visible, and without characters that make it lie.

Every free-text field of every request model and of the company profile goes
through ``clean_text`` (see ``api/models.Strict`` and
``domain/press_company._Part``): it is normalised to NFC, and refused when it
holds control characters (other than tab and line breaks), bidirectional
overrides or other invisible format characters (which can make "nimdA" read
as "Admin" on a staff page), or nothing visible at all. Keys of the objects a
body may carry are text too, and kept short so an error can name them.
"""

from __future__ import annotations

import unicodedata

MAX_KEY_LENGTH = 60
_LINE_BREAKS = {"\t", "\n", "\r"}  # text of several lines (a reason, a note) may have these; a name may not
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


# Bidirectional overrides and isolates make text read otherwise than it is: never allowed.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
# Invisible characters that pasted text of several lines legitimately carries (soft hyphens, joiners, a BOM).
_PASTED = {"\u00ad", "\u200c", "\u200d", "\ufeff"}


def text_problem(value: str, multiline: bool = False) -> str | None:
    """Why ``value`` (already NFC) cannot be stored as typed, in words for the person; None when it can."""
    core = value if multiline else value.strip()  # a stray line break around a one-line answer is harmless
    for char in core:
        category = unicodedata.category(char)
        if category == "Cc" and not (multiline and char in _LINE_BREAKS):
            if char in _LINE_BREAKS:
                return "Isian ini hanya satu baris: hapus ganti baris dan tab di dalamnya."
            return "Isian ini memuat karakter kendali yang tidak terlihat. Ketik ulang isiannya tanpa menempelkan."
        if char in _BIDI or (category == "Cf" and not (multiline and char in _PASTED)):
            return ("Isian ini memuat karakter tak terlihat atau pembalik arah tulisan yang dapat membuat teks "
                    "terbaca lain. Ketik ulang isiannya tanpa menempelkan.")
    # Only spaces is an empty answer (each field says whether it may be empty); marks with nothing to
    # sit on are not text at all.
    if value.strip() != "" and all(unicodedata.category(c) in _INVISIBLE for c in value):
        return "Isian ini hanya berisi karakter yang tidak terlihat. Isi dengan teks yang terbaca."
    return None


def clean_text(value: str, multiline: bool = False) -> str:
    """``value`` normalised (NFC), or ValueError with the Indonesian reason."""
    value = unicodedata.normalize("NFC", value)
    if problem := text_problem(value, multiline):
        raise ValueError(problem)
    return value


def clean_values(value, multiline: bool = False):
    """``clean_text`` over every string in a field's value: lists, and the keys and values of objects."""
    if isinstance(value, str):
        return clean_text(value, multiline)
    if isinstance(value, list):
        return [clean_values(v, multiline) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_values(v, multiline) for v in value)
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if isinstance(key, str) and len(key) > MAX_KEY_LENGTH:
                raise ValueError(f"Nama butir terlalu panjang (paling banyak {MAX_KEY_LENGTH} karakter).")
            cleaned[clean_values(key)] = clean_values(item, multiline)
        return cleaned
    return value
