"""All releases at once: find them, check them, and the checks that span files."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .frontmatter import Problem, Release, read_release


def release_files(releases_dir: Path) -> list[Path]:
    """Every release file (images and attachments live in sub-folders, not here)."""
    return sorted(p for p in Path(releases_dir).glob("*.md") if p.name.lower() != "readme.md")


def check_releases(
    releases_dir: Path, categories: list[str] | None, only: list[Path] | None = None
) -> tuple[list[Release], list[Problem]]:
    """Read every release; report each file's own problems, and those across files.

    With ``only``, problems are reported for those files alone, but they are
    still compared with all the others (a new slug must not clash with an old one).
    """
    releases = [read_release(path, categories) for path in release_files(releases_dir)]
    wanted = {p.resolve() for p in only} if only else None
    for extra in only or []:
        if extra.resolve() not in {r.path.resolve() for r in releases}:
            releases.append(read_release(extra, categories))
    problems = [p for r in releases for p in r.problems]
    problems.extend(_duplicate_slugs(releases))
    problems.extend(_translations(releases))
    if wanted is not None:
        problems = [p for p in problems if p.path.resolve() in wanted]
    return releases, sorted(problems, key=lambda p: (str(p.path), p.line))


def _line(release: Release, key: str) -> int:
    return release.lines.line_of((key,)) if release.lines else 1


def _duplicate_slugs(releases: list[Release]) -> list[Problem]:
    by_slug: dict[str, list[Release]] = defaultdict(list)
    for release in releases:
        if release.slug:
            by_slug[release.slug].append(release)
    problems = []
    for slug, same in by_slug.items():
        if len(same) > 1:
            for release in same:
                others = ", ".join(r.path.name for r in same if r is not release)
                line = _line(release, "slug") if release.meta and release.meta.slug else 1
                problems.append(
                    Problem(release.path, line, f"slug '{slug}' sudah dipakai oleh {others}; setiap siaran pers butuh slug yang unik")
                )
    return problems


def _translations(releases: list[Release]) -> list[Problem]:
    known = {r.slug: r for r in releases if r.slug}
    problems = []
    for release in releases:
        target = release.meta.translation_of if release.meta else None
        if not target:
            continue
        other = known.get(target)
        if other is None:
            problems.append(Problem(release.path, _line(release, "translation_of"),
                                    f"'translation_of' menunjuk slug '{target}', tetapi tidak ada siaran pers dengan slug itu"))
        elif other.meta is not None and other.meta.lang == release.meta.lang:
            problems.append(Problem(release.path, _line(release, "translation_of"),
                                    f"terjemahan harus berbahasa lain dari '{target}' (keduanya '{release.meta.lang}')"))
    return problems
