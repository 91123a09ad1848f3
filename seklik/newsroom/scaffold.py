"""`seklik release new`: a new release file with every field, ready to fill in."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path

from .frontmatter import WIB

SLUG_MAX = 60


def slugify(title: str) -> str:
    """ASCII, lower case, words joined by '-', cut at a word boundary."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > SLUG_MAX:
            break
        slug = candidate
    return slug or "siaran-pers"


def new_release(
    releases_dir: Path,
    title: str,
    now: datetime | None = None,
    category: str | None = None,
    location: str = "",
    unit: str = "",
    lang: str = "id",
) -> Path:
    now = (now or datetime.now(WIB)).astimezone(WIB).replace(second=0, microsecond=0)
    slug = slugify(title)
    path = Path(releases_dir) / f"{now:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise FileExistsError(path)
    q = json.dumps  # JSON strings are valid YAML and escape quotes safely
    text = f"""---
title: {q(title, ensure_ascii=False)}
date: {now.isoformat()}
summary: {q("Ringkasan satu-dua kalimat untuk halaman depan, umpan RSS dan media sosial (paling banyak 300 karakter).", ensure_ascii=False)}
slug: {slug}
lang: {lang}
category: {q(category, ensure_ascii=False) if category else "null"}
tags: []
location: {q(location, ensure_ascii=False) if location else "null"}
unit: {q(unit, ensure_ascii=False) if unit else "null"}
contacts: null        # null: kontak bawaan situs; atau daftar {{name, role, phone, email}}
images: []            # daftar {{src, alt (wajib), caption, credit}}; berkas di folder {path.stem}/
attachments: []       # daftar {{src, title}}
embargo_until: null   # isi waktu (WIB) bila tidak boleh terbit sebelum waktu itu
updated: null
draft: true           # ubah menjadi false bila siap terbit
translation_of: null  # slug siaran pers yang sama dalam bahasa lain
---

Tulis naskah siaran pers di sini. Paragraf pertama menjawab apa, siapa, kapan,
di mana, mengapa, dan bagaimana.
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
