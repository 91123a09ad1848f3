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


@dataclass(frozen=True)
class PublishedRelease:
    slug: str
    title: str
    url: str  # absolute
    date: str


class ReleaseIndexUnavailable(Exception):
    pass


class ReleaseIndex:
    def __init__(self, url: str, max_age_seconds: float = 300.0):
        self.url = url
        self.max_age = max_age_seconds
        self._lock = threading.Lock()
        self._loaded_at = 0.0
        self._by_slug: dict[str, PublishedRelease] = {}

    def find(self, slug: str) -> PublishedRelease | None:
        with self._lock:
            if time.monotonic() - self._loaded_at > self.max_age or slug not in self._by_slug:
                self._load()
            return self._by_slug.get(slug)

    def _load(self) -> None:
        try:
            with urllib.request.urlopen(self.url, timeout=5) as response:  # noqa: S310 (configured URL)
                data = json.load(response)
        except (OSError, ValueError) as error:
            raise ReleaseIndexUnavailable(str(error)) from error
        self._by_slug = {
            r["slug"]: PublishedRelease(slug=r["slug"], title=r["title"], url=r["url"], date=r["date"])
            for r in data.get("releases", [])
        }
        self._loaded_at = time.monotonic()
