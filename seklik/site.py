"""Build the newsroom (Material for MkDocs) from mkdocs.yml."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from .stack import ROOT


class SiteBuildError(RuntimeError):
    pass


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors, so a failed build can say why."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(out: Path, config_file: Path = ROOT / "mkdocs.yml", **overrides) -> Path:
    """Build into ``out`` and return it. Warnings are errors: a broken link fails.

    ``overrides`` replace top-level keys of mkdocs.yml (tests point the
    newsroom at fixture releases this way).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    out = Path(out).resolve()
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    collected = _Collect()
    logger.addHandler(collected)
    try:
        config = load_config(str(config_file), site_dir=str(out), strict=True, **overrides)
        build(config)
    except (MkDocsException, SystemExit) as error:  # strict builds abort with SystemExit
        raise SiteBuildError("\n".join(collected.messages) or str(error)) from None
    finally:
        logger.removeHandler(collected)
    index_for_search(out)
    return out


def index_for_search(site_dir: Path) -> None:
    """Pagefind indexes the built release pages (their `data-pagefind-body`) into site/pagefind/.

    Pagefind replaces MkDocs' lunr search: it stems Indonesian (the pages say
    lang="id") and a browser downloads only the index chunks a query needs.
    """
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        raise SiteBuildError(f"Pagefind could not index the site:\n{(result.stdout + result.stderr).strip()[-2000:]}")


def publish_kits(out: Path, bucket: str, site_url: str | None = None, config_file: Path = ROOT / "mkdocs.yml",
                 releases_dir: Path | None = None) -> int:
    """Build the press kits into ``out`` and make the documents bucket's ``releases/`` equal to them
    (what the publishing workflow does with ``aws s3 sync --delete``); returns how many."""
    from chalicelib.adapters.documents import DocumentStore
    from chalicelib.adapters.press_kits import PressKitStore

    from .newsroom.kits import build_kits

    build_kits(out, config_file, site_url=site_url, releases_dir=releases_dir)
    return PressKitStore(DocumentStore(bucket)).publish(out)
