"""What the public may see: published releases, with their stable URLs and dates.

A release is public when it is not a draft and both its ``date`` and its
``embargo_until`` (if any) have passed. Everything built for the public
(pages, feeds, sitemap, search index) starts from ``public_entries``, so an
embargoed or draft release cannot leak through one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from babel.dates import format_date, format_datetime

from .frontmatter import WIB, FrontMatter, Release

URL_PATTERN = "rilis/{year:04d}/{month:02d}/{slug}/"  # never change: published URLs are permanent


@dataclass(frozen=True)
class Entry:
    """A public release as the site shows it."""

    meta: FrontMatter
    body: str
    source: Path
    slug: str

    @property
    def published_at(self) -> datetime:
        return public_from(self.meta)

    @property
    def local_date(self) -> datetime:
        return self.meta.date.astimezone(WIB)

    @property
    def url(self) -> str:
        """Site-relative URL, from the release's own date (in WIB) and slug."""
        return URL_PATTERN.format(year=self.local_date.year, month=self.local_date.month, slug=self.slug)

    @property
    def date_label(self) -> str:
        """`3 September 2021`, in the release's language."""
        return format_date(self.local_date, "d MMMM y", locale=self.meta.lang)

    @property
    def modified_at(self) -> datetime:
        """Never earlier than publication (an embargo can end after `date`)."""
        return max(self.meta.updated or self.meta.date, self.published_at)

    @property
    def updated_label(self) -> str:
        """`2 November 2026, 08.00 WIB`: the update time, always in WIB."""
        if self.meta.updated is None:
            return ""
        local = self.meta.updated.astimezone(WIB)
        return f"{format_datetime(local, 'd MMMM y, HH.mm', locale=self.meta.lang)} WIB"


def public_from(meta: FrontMatter) -> datetime:
    """The moment a release may be public: its date, or its embargo if later."""
    if meta.embargo_until is not None and meta.embargo_until > meta.date:
        return meta.embargo_until
    return meta.date


def is_public(meta: FrontMatter, now: datetime) -> bool:
    return not meta.draft and public_from(meta) <= now


def public_entries(releases: list[Release], now: datetime) -> list[Entry]:
    """Valid, public releases, newest first (ties by slug, so builds are repeatable)."""
    entries = [
        Entry(meta=r.meta, body=r.body, source=r.path, slug=r.slug)
        for r in releases
        if r.meta is not None and not r.problems and is_public(r.meta, now)
    ]
    entries.sort(key=lambda e: e.slug)
    entries.sort(key=lambda e: e.meta.date, reverse=True)
    return entries

