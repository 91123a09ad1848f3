"""A press release file: its front matter (the editors' contract) and its body.

``read_release`` parses one file and returns the release with every problem
found in it, each with the line it is on, so ``seklik release check`` can
print ``path:line: message`` the way compilers do. Problems that need all
releases at once (duplicate slugs, translations) are found in ``releases.py``.

The contract is documented for editors in Indonesian in
``docs/panduan-editor.md``; keep the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

WIB = ZoneInfo("Asia/Jakarta")
SUMMARY_MAX = 300
FILE_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ASSET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Contact(_Strict):
    name: str = Field(min_length=1, max_length=120)
    role: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)


class Image(_Strict):
    src: str = Field(min_length=1)
    alt: str = Field(min_length=1, max_length=300, description="Describes the image for people who cannot see it.")
    caption: str | None = None
    credit: str | None = None


class Attachment(_Strict):
    src: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=200)


def _as_wib(value: Any) -> Any:
    """Dates and times without an offset mean WIB (Asia/Jakarta)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=WIB)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=WIB)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("tanggal/waktu tidak dapat dibaca; tulis ISO 8601, misalnya 2021-09-03 atau 2021-09-03T14:30") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=WIB)
    raise ValueError("tanggal/waktu harus ditulis ISO 8601, misalnya 2021-09-03 atau 2021-09-03T14:30")


class FrontMatter(_Strict):
    title: str = Field(min_length=1, max_length=200)
    date: datetime
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX)
    slug: str | None = Field(default=None, pattern=SLUG, max_length=100)
    lang: Literal["id", "en"] = "id"
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    location: str | None = Field(default=None, max_length=80)
    unit: str | None = Field(default=None, max_length=160)
    contacts: list[Contact] | None = None
    images: list[Image] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    embargo_until: datetime | None = None
    updated: datetime | None = None
    draft: StrictBool = False
    translation_of: str | None = Field(default=None, pattern=SLUG)

    @field_validator("date", "embargo_until", "updated", mode="before")
    @classmethod
    def _in_wib(cls, value: Any) -> Any:
        return None if value is None else _as_wib(value)

    @field_validator("tags")
    @classmethod
    def _tags_are_words(cls, tags: list[str]) -> list[str]:
        cleaned = [t.strip() for t in tags]
        if any(not t for t in cleaned):
            raise ValueError("tag tidak boleh kosong")
        return cleaned


FIELDS = tuple(FrontMatter.model_fields)

_MESSAGES = {
    "missing": "'{field}' wajib diisi",
    "extra_forbidden": "kunci '{field}' tidak dikenal; kunci yang sah: " + ", ".join(FIELDS),
    "string_type": "'{field}' harus berupa teks",
    "string_too_short": "'{field}' tidak boleh kosong",
    "string_too_long": "'{field}' terlalu panjang: {length} karakter, paling banyak {max_length}",
    "string_pattern_mismatch": "'{field}' hanya boleh berisi huruf kecil, angka dan tanda hubung (contoh: rapat-koordinasi-2021)",
    "list_type": "'{field}' harus berupa daftar (baris-baris yang diawali '- ')",
    "bool_type": "'{field}' harus true atau false",
    "bool_parsing": "'{field}' harus true atau false",
    "literal_error": "'{field}' harus salah satu dari: {expected}",
    "model_type": "'{field}' harus berupa pasangan kunci: nilai",
    "dict_type": "'{field}' harus berupa pasangan kunci: nilai",
    "datetime_type": "'{field}' harus berupa tanggal/waktu ISO 8601, misalnya 2021-09-03T14:30",
}


@dataclass
class Release:
    """One release file as parsed; ``problems`` empty means it is valid on its own."""

    path: Path
    meta: FrontMatter | None
    body: str
    body_line: int
    problems: list[Problem] = field(default_factory=list)
    lines: "_LineMap | None" = None

    @property
    def slug(self) -> str | None:
        if self.meta and self.meta.slug:
            return self.meta.slug
        match = FILE_NAME.match(self.path.name)
        return match.group("slug") if match else None


class _LineMap:
    """Line numbers (1-based, in the file) of the front matter's keys and items."""

    def __init__(self, root: yaml.Node | None, offset: int):
        self.root = root
        self.offset = offset  # the file lines before the YAML (the opening ---)

    def line_of(self, loc: tuple[Any, ...]) -> int:
        node = self.root
        line = (node.start_mark.line if node is not None else 0) + self.offset + 1
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                match = next(((k, v) for k, v in node.value if k.value == part), None)
                if match is None:
                    break
                key, node = match
                line = key.start_mark.line + self.offset + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + self.offset + 1
            else:
                break
        return line


def _split(text: str) -> tuple[str | None, str, int]:
    """(front matter text, body, line where the body starts); None when there is none."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in {"---", "..."}:
            return "".join(lines[1:number]), "".join(lines[number + 1 :]), number + 2
    return None, text, 1


# libyaml when present (10x faster on thousands of releases), else pure Python.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ValueProblems(Exception):
    """Values the YAML parser read but cannot turn into data (an impossible date, a duplicate key…)."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(problems)
        self.problems = problems  # (line within the front matter, from 0; message)


def _parse_yaml(raw: str) -> tuple[yaml.Node | None, Any]:
    """Parse once, keeping the node tree (for line numbers) and the data.

    Raises ``yaml.YAMLError`` for text that is not YAML, and ``_ValueProblems``
    for YAML whose values cannot be built: each problem with the line of its value.
    """
    loader = _Loader(raw)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        problems = _duplicate_keys(root)
        try:
            data = loader.construct_document(root)
        except (ValueError, OverflowError, TypeError, yaml.constructor.ConstructorError):
            problems += _unbuildable_values(root)
            if not problems:
                raise
        if problems:
            raise _ValueProblems(sorted(problems))
        return root, data
    finally:
        loader.dispose()


def _duplicate_keys(node: yaml.Node) -> list[tuple[int, str]]:
    """YAML keeps the last of two equal keys silently; a release with two titles is a mistake."""
    found = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    found.append((key.start_mark.line, f"kunci '{key.value}' ditulis dua kali (pertama di baris "
                                                       f"{seen[key.value] + 2}); hapus salah satunya"))
                else:
                    seen[key.value] = key.start_mark.line
            found += _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item)
    return found


def _unbuildable_values(node: yaml.Node) -> list[tuple[int, str]]:
    """Each scalar whose value cannot be built, built alone to find which (rare: only on a failure)."""
    if isinstance(node, yaml.MappingNode):
        return [p for key, value in node.value for p in (*_unbuildable_values(key), *_unbuildable_values(value))]
    if isinstance(node, yaml.SequenceNode):
        return [p for item in node.value for p in _unbuildable_values(item)]
    constructor = yaml.SafeLoader("")
    try:
        constructor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        return [(node.start_mark.line, f"tanda {node.tag} pada nilai '{node.value}' tidak dikenal; tulis "
                                       "nilainya tanpa tanda '!'")]
    except (ValueError, OverflowError, TypeError) as error:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return [(node.start_mark.line, f"tanggal '{node.value}' tidak ada di kalender ({error}); tulis tanggal "
                                           "yang ada sebagai TTTT-BB-HH, misalnya 2026-05-17, atau dengan jam "
                                           "2026-05-17 09:30")]
        return [(node.start_mark.line, f"nilai '{node.value}' tidak dapat dibaca ({error})")]
    finally:
        constructor.dispose()
    return []


def read_release(path: Path, categories: list[str] | None = None) -> Release:
    path = Path(path)
    problems: list[Problem] = []
    text = path.read_text(encoding="utf-8")
    raw, body, body_line = _split(text)
    release = Release(path=path, meta=None, body=body, body_line=body_line, problems=problems)

    if not FILE_NAME.match(path.name):
        problems.append(
            Problem(path, 1, "nama berkas harus TTTT-BB-HH-slug.md, misalnya 2021-09-03-kunjungan-humas-dprd-muba.md")
        )
    if raw is None:
        problems.append(Problem(path, 1, "front matter tidak ada: berkas harus diawali '---', kunci-kunci YAML, lalu '---'"))
        return release
    try:
        root, data = _parse_yaml(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        start = getattr(error, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        if start is not None and start.line != getattr(mark, "line", None):
            reason += f" (bagian yang dimulai di baris {start.line + 2} belum ditutup)"
        problems.append(Problem(path, line, f"front matter bukan YAML yang valid: {reason}"))
        return release
    except _ValueProblems as failure:
        problems.extend(Problem(path, line + 2, message) for line, message in failure.problems)
        return release
    lines = _LineMap(root, offset=1)
    release.lines = lines
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "front matter harus berupa pasangan kunci: nilai"))
        return release

    try:
        release.meta = FrontMatter.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            problems.append(Problem(path, lines.line_of(item["loc"]), _message(item)))

    problems.extend(_check_references(path, data, categories, lines))
    if release.meta is not None and release.meta.updated is not None and release.meta.updated < release.meta.date:
        problems.append(Problem(path, lines.line_of(("updated",)), "'updated' tidak boleh lebih awal dari 'date'"))
    if not body.strip():
        problems.append(Problem(path, body_line, "isi siaran pers kosong: tulis naskahnya di bawah front matter"))
    return release


def _message(item: dict) -> str:
    loc = item["loc"]
    field_name = ".".join(str(p) for p in loc) or "front matter"
    ctx = dict(item.get("ctx") or {})
    if item["type"] == "literal_error":
        ctx["expected"] = str(ctx.get("expected", "")).replace(" or ", " atau ")
    if item["type"] == "string_too_long":
        ctx["length"] = len(item["input"]) if isinstance(item.get("input"), str) else "?"
    if item["type"] == "missing" and len(loc) == 3 and loc[0] == "images" and loc[2] == "alt":
        return f"gambar ke-{loc[1] + 1} tidak punya 'alt': tulis apa yang tampak pada gambar, untuk pembaca yang tidak dapat melihatnya"
    if item["type"] == "value_error":
        return f"'{field_name}': {ctx.get('error', item['msg'])}"
    template = _MESSAGES.get(item["type"])
    if template is None:
        return f"'{field_name}' tidak valid: {item['msg']}"
    try:
        return template.format(field=field_name, **ctx)
    except (KeyError, IndexError):
        return f"'{field_name}' tidak valid: {item['msg']}"


def _check_references(path: Path, data: dict, categories: list[str] | None, lines: _LineMap) -> list[Problem]:
    """What the schema cannot know: configured categories, files beside the release.

    Works on the raw data, so these are reported even when other fields are wrong.
    """
    problems = []
    category = data.get("category")
    if categories is not None and isinstance(category, str) and category not in categories:
        problems.append(
            Problem(path, lines.line_of(("category",)),
                    f"kategori '{category}' tidak dikenal; pilih salah satu: {', '.join(categories)}")
        )
    folder = path.parent.resolve()
    seen_names: dict[str, str] = {}
    for kind in ("images", "attachments"):
        items = data.get(kind)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            src = item.get("src") if isinstance(item, dict) else None
            if not isinstance(src, str) or not src.strip():
                continue
            target = (path.parent / src).resolve()
            line = lines.line_of((kind, index, "src"))
            name = PurePosixPath(src).name
            # Files are published beside the release page under their own name.
            if not ASSET_NAME.match(name) or name.lower().endswith(".md"):
                problems.append(Problem(path, line, f"nama berkas '{name}' hanya boleh berisi huruf, angka, titik, "
                                                    "garis bawah dan tanda hubung (tanpa spasi), dan bukan .md"))
            elif name.lower() in seen_names:
                problems.append(Problem(path, line, f"nama berkas '{name}' sudah dipakai oleh {seen_names[name.lower()]}; "
                                                    "beri nama yang berbeda"))
            seen_names.setdefault(name.lower(), src)
            if folder not in target.parents:
                problems.append(Problem(path, lines.line_of((kind, index, "src")),
                                        f"berkas '{src}' harus berada di folder siaran pers ini (content/releases/)"))
            elif not target.is_file():
                problems.append(Problem(path, lines.line_of((kind, index, "src")),
                                        f"berkas '{src}' tidak ditemukan (dicari: {target})"))
            elif kind == "images" and not _is_image(target):
                problems.append(Problem(path, lines.line_of((kind, index, "src")),
                                        f"berkas '{src}' bukan gambar yang dapat dibaca; pakai JPEG, PNG atau WebP"))
    return problems


def _is_image(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
        return image.format in {"JPEG", "PNG", "WEBP"}
    except (UnidentifiedImageError, OSError, SyntaxError):
        return False
