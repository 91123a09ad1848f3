"""The newsroom's generated pages: one per release and the lists that lead to them.

Pure data, no MkDocs: given the public entries, decide which pages exist,
their URLs and which entries each one lists. URL patterns (documented for
editors and never changed once published):

| page | URL |
|---|---|
| a release | `rilis/YYYY/MM/slug/` |
| all releases, newest first | `rilis/`, then `rilis/halaman/N/` |
| a year / a month | `rilis/YYYY/` / `rilis/YYYY/MM/` |
| a category / a tag | `kategori/<slug>/` / `tag/<slug>/`, then `…/halaman/N/` |
| feeds | `feed/rilis.xml`, `feed/rilis.json`; `feed/kategori/<slug>.xml`, `….json` |

Lists are paginated so that no page grows with the archive; release pages
are kept out of the sidebar navigation, whose size would otherwise be paid
again by every page (a build that grows quadratically).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from babel.dates import format_date

from .entries import Entry
from .scaffold import slugify

PAGE_SIZE = 20
FEED_ALL = "feed/rilis"  # + ".xml" (RSS) or ".json" (JSON Feed)


@dataclass
class Listing:
    """One generated list page."""

    url: str  # site-relative, ending in "/"
    title: str
    entries: list[Entry]
    kind: str  # "all", "category", "tag", "year", "month"
    number: int = 1
    count: int = 1
    first_url: str = ""
    description: str = ""
    feed: str | None = None  # site-relative URL of this list's feed, without .xml/.json
    groups: list[tuple[str, str, int]] = field(default_factory=list)  # (label, url, count) for year pages

    @property
    def src_uri(self) -> str:
        return f"{self.url}index.md"

    def page_url(self, number: int) -> str:
        return self.first_url if number == 1 else f"{self.first_url}halaman/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.page_url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.page_url(self.number + 1) if self.number < self.count else None


def _paginate(base: str, title: str, entries: list[Entry], kind: str, **extra) -> list[Listing]:
    chunks = [entries[i : i + PAGE_SIZE] for i in range(0, len(entries), PAGE_SIZE)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        url = base if number == 1 else f"{base}halaman/{number}/"
        shown = title if number == 1 else f"{title} — halaman {number}"
        pages.append(Listing(url, shown, chunk, kind, number, len(chunks), base, **extra))
    return pages


def month_label(year: int, month: int) -> str:
    from datetime import date

    return format_date(date(year, month, 1), "MMMM y", locale="id")


def category_url(name: str) -> str:
    return f"kategori/{slugify(name)}/"


def category_feed(name: str) -> str:
    return f"feed/kategori/{slugify(name)}"


def tag_url(name: str) -> str:
    return f"tag/{slugify(name)}/"


def listings(entries: list[Entry], categories: list[str]) -> list[Listing]:
    pages = _paginate("rilis/", "Semua siaran pers", entries, "all", feed=FEED_ALL,
                      description="Semua siaran pers, terbaru lebih dulu.")

    by_category: dict[str, list[Entry]] = defaultdict(list)
    by_tag: dict[str, list[Entry]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.meta.category:
            by_category[entry.meta.category].append(entry)
        for tag in entry.meta.tags:
            by_tag[tag].append(entry)
        by_month[(entry.local_date.year, entry.local_date.month)].append(entry)

    for name in categories:
        if by_category.get(name):
            base = category_url(name)
            pages += _paginate(base, f"Kategori: {name}", by_category[name], "category",
                               feed=category_feed(name), description=f"Siaran pers kategori {name}.")
    # "Seklik" and "seklik" share one URL, so they share one list too.
    by_tag_url: dict[str, tuple[str, list[Entry]]] = {}
    for name in sorted(by_tag, key=str.lower):
        shown, listed = by_tag_url.setdefault(tag_url(name), (name, []))
        listed.extend(e for e in by_tag[name] if e not in listed)
    for url, (name, listed) in by_tag_url.items():
        listed.sort(key=lambda e: e.meta.date, reverse=True)
        pages += _paginate(url, f"Tag: {name}", listed, "tag", description=f"Siaran pers bertag {name}.")

    for year in sorted({y for y, _ in by_month}, reverse=True):
        months = sorted((m for y, m in by_month if y == year), reverse=True)
        groups = [(month_label(year, m), f"rilis/{year:04d}/{m:02d}/", len(by_month[(year, m)])) for m in months]
        pages.append(Listing(f"rilis/{year:04d}/", f"Arsip {year}", [], "year", first_url=f"rilis/{year:04d}/",
                             groups=groups, description=f"Siaran pers tahun {year}, per bulan."))
        for month in months:
            base = f"rilis/{year:04d}/{month:02d}/"
            pages.append(Listing(base, f"Arsip {month_label(year, month)}", by_month[(year, month)], "month",
                                 first_url=base, description=f"Siaran pers {month_label(year, month)}."))
    return pages


def archive_years(entries: list[Entry]) -> list[tuple[int, int]]:
    """(year, number of releases), newest year first, for the archive links."""
    counts: dict[int, int] = defaultdict(int)
    for entry in entries:
        counts[entry.local_date.year] += 1
    return sorted(counts.items(), reverse=True)
