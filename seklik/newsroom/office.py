"""The office the newsroom belongs to, from mkdocs.yml (``newsroom.office``): its name, address, contacts, colours
and social accounts, so another office adopts the site by editing configuration, not templates.

The footer, the contact page and the colours read it; the shipped values are samples and say so
(``sample: true``), which ``seklik dev`` reports like the API's sample configuration.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SocialAccount(_Strict):
    name: str = Field(min_length=1, max_length=40, description="Instagram, YouTube, …")
    url: str = Field(pattern=r"^https://", max_length=300)


class Colours(_Strict):
    primary: str = "#1a4d8f"
    accent: str = "#c62828"

    @field_validator("primary", "accent")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise ValueError("tulis warna sebagai #RRGGBB, misalnya #1a4d8f")
        return value.lower()


class Office(_Strict):
    name: str = Field(min_length=2, max_length=120, description="Dinas Komunikasi dan Informatika")
    government: str = Field(default="", max_length=120, description="Pemerintah Kabupaten …")
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    hours: str = Field(default="", max_length=120, description="Jam layanan, e.g. Senin–Jumat 08.00–16.00 WIB")
    colours: Colours = Colours()
    social: list[SocialAccount] = []
    sample: bool = Field(default=False, description="true while the values are the shipped samples")

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.government}" if self.government else self.name


def sample_office(config_file) -> Office | None:
    """The office of ``mkdocs.yml`` if its values are still the shipped samples (``sample: true``), else None."""
    from pathlib import Path

    import yaml

    config = yaml.safe_load(Path(config_file).read_text(encoding="utf-8")) or {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "newsroom" in plugin:
            office = Office.model_validate((plugin["newsroom"] or {}).get("office") or {"name": "?"})
            return office if office.sample else None
    return None
