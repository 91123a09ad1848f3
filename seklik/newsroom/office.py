"""The office the newsroom belongs to, from mkdocs.yml (``newsroom.office``): its name, address, contacts, colours
and social accounts, so another office adopts the site by editing configuration, not templates.

The footer, the contact page and the colours read it; the shipped values are samples and say so
(``sample: true``), which ``seklik dev`` reports like the API's sample configuration. Without an office block the
site is a generic office's, which is a sample too. A value that is wrong is said in Indonesian, one
``newsroom.office.<key>: <what to write>`` line per problem, as ``seklik release check`` says a release's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ().-]+$")

# What the site says without an office block (config.py's default): a generic office, a sample.
DEFAULT_OFFICE = {"name": "Dinas Komunikasi dan Informatika", "sample": True}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SocialAccount(_Strict):
    name: str = Field(min_length=1, max_length=40, description="Instagram, YouTube, …")
    url: str = Field(max_length=300)

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("tulis alamat lengkapnya, diawali https://, misalnya https://www.instagram.com/diskominfo/")
        return value


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

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not _EMAIL.match(value):
            raise ValueError("alamat surel tidak valid; tulis seperti humas@diskominfo.example.go.id")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if value and not (_PHONE.match(value) and 6 <= sum(c.isdigit() for c in value) <= 15):
            raise ValueError("tulis nomor telepon dengan 6 sampai 15 angka, boleh diawali + dan dipisah spasi, "
                             "tanda hubung atau kurung, misalnya +62 712 000000 atau (0712) 321456")
        return value

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.government}" if self.government else self.name


class OfficeProblems(ValueError):
    """The office block is not valid: ``problems`` are its lines, one a problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


_MESSAGES = {
    "missing": "wajib diisi",
    "string_type": "harus berupa teks",
    "string_too_short": "terlalu pendek: paling sedikit {min_length} karakter",
    "string_too_long": "terlalu panjang: paling banyak {max_length} karakter",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "list_type": "harus berupa daftar (baris-baris yang diawali '- ')",
    "model_type": "harus berupa pasangan kunci: nilai",
    "model_attributes_type": "harus berupa pasangan kunci: nilai",
    "dict_type": "harus berupa pasangan kunci: nilai",
}


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the key at ``loc`` (Office, Colours or SocialAccount)."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        inner = (get_args(field.annotation) or (field.annotation,))[0]
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return None
        model = inner
    return model


def problem_lines(error: ValidationError, prefix: str, model: type[BaseModel]) -> list[str]:
    """One ``prefix.key: message`` line in Indonesian per problem pydantic found."""
    lines = []
    for item in error.errors(include_url=False):
        loc = item["loc"]
        where = ".".join([prefix, *(str(p) for p in loc)])
        kind = item["type"]
        if kind == "value_error":
            message = str((item.get("ctx") or {}).get("error", item["msg"]))
        elif kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            keys = ", ".join(parent.model_fields) if parent else ""
            message = f"kunci tidak dikenal{'; kunci yang sah: ' + keys if keys else ''}"
        elif kind in _MESSAGES:
            message = _MESSAGES[kind].format(**(item.get("ctx") or {}))
        else:
            message = f"nilai {item.get('input')!r} tidak dapat dipakai"
        lines.append(f"{where}: {message}")
    return lines


def load_office(data: Any) -> Office:
    """The office of ``newsroom.office`` (None or absent: the generic sample office); OfficeProblems if not valid."""
    try:
        return Office.model_validate(DEFAULT_OFFICE if data is None else data)
    except ValidationError as error:
        raise OfficeProblems(problem_lines(error, "newsroom.office", Office)) from None


def read_mkdocs_yml(config_file) -> dict:
    """mkdocs.yml as data, whatever tags it uses: ``!ENV`` as MkDocs reads it (the variable, else the default); any
    other (``!!python/name:``, ``!relative`` …) as the plain value it is written as, nothing named in it imported."""
    import yaml
    from yaml_env_tag import construct_env_tag  # MkDocs' own, a dependency of it

    class Tolerant(yaml.SafeLoader):
        pass

    def plain(loader, _suffix, node):
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_scalar(node)

    Tolerant.add_constructor("!ENV", construct_env_tag)
    Tolerant.add_multi_constructor("", plain)
    data = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=Tolerant)  # noqa: S506 (safe + plain)
    return data if isinstance(data, dict) else {}


def sample_office(config_file) -> Office | None:
    """The office of ``mkdocs.yml`` if its values are still the shipped samples (``sample: true``, or no office
    block at all), else None. OfficeProblems if the block is not valid."""
    plugins = read_mkdocs_yml(config_file).get("plugins") or []
    if isinstance(plugins, dict):  # MkDocs takes plugins as a mapping too
        plugins = [{name: options} for name, options in plugins.items()]
    for plugin in plugins:
        if plugin == "newsroom" or (isinstance(plugin, dict) and "newsroom" in plugin):
            options = plugin["newsroom"] if isinstance(plugin, dict) else None
            office = load_office((options if isinstance(options, dict) else {}).get("office"))
            return office if office.sample else None
    return None
