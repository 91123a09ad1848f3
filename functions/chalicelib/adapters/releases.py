"""The published press releases, as the newsroom build lists them in ``releases.json``.

The API holds no release content: the built site is the truth about what is
public (drafts and embargoed releases are never in it). Orders name a release
by slug; this reads the site's index (an http(s) URL in production, the built
folder's file locally) and keeps it for a few minutes.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from ..domain.clock import WIB

@dataclass(frozen=True)
class PublishedRelease:
    slug: str
    title: str
    url: str  # absolute
    date: str
    published_at: datetime | None = None  # its date, or the end of its embargo if later
    summary: str = ""
    category: str | None = None


def _moment(text: str) -> datetime:
    """A release's time; a bare date (an older build's index) is its start in WIB."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


class ReleaseIndexUnavailable(Exception):
    pass


class ReleaseIndex:
    def __init__(self, url: str, max_age_seconds: float = 300.0):
        self.url = url
        self.max_age = max_age_seconds
        self._lock = threading.Lock()
        self._loaded_at: float | None = None  # monotonic time; None until the first load
        self._by_slug: dict[str, PublishedRelease] = {}
        self._categories: list[str] = []
        self._site_name = "newsroom"

    def all(self) -> list[PublishedRelease]:
        """Every published release, newest first (as the site lists them)."""
        with self._lock:
            self._load_if_stale()
            return list(self._by_slug.values())

    def site_name(self) -> str:
        with self._lock:
            self._load_if_stale()
            return self._site_name

    def categories(self) -> list[str]:
        with self._lock:
            self._load_if_stale()
            return list(self._categories)

    def find(self, slug: str) -> PublishedRelease | None:
        with self._lock:
            if slug not in self._by_slug:  # perhaps published since the last load
                self._load()
            else:
                self._load_if_stale()
            return self._by_slug.get(slug)

    def _load_if_stale(self) -> None:
        # Not "monotonic() - 0 > max_age": a fresh machine or Lambda sandbox starts its clock near zero.
        if self._loaded_at is None or time.monotonic() - self._loaded_at > self.max_age:
            self._load()

    def _load(self) -> None:
        try:
            with urllib.request.urlopen(self.url, timeout=5) as response:  # noqa: S310 (configured URL)
                data = json.load(response)
            by_slug = {
                r["slug"]: PublishedRelease(
                    slug=r["slug"], title=r["title"], url=r["url"], date=r["date"],
                    published_at=_moment(r.get("published_at") or r["date"]),
                    summary=r.get("summary", ""), category=r.get("category"))
                for r in data.get("releases", [])
            }
            categories, site_name = list(data.get("categories", [])), data.get("site_name") or "newsroom"
        # A file the site did not build as expected is "unavailable" (503 to callers), not a crash.
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ReleaseIndexUnavailable(str(error)) from error
        self._by_slug, self._categories, self._site_name = by_slug, categories, site_name
        self._loaded_at = time.monotonic()
