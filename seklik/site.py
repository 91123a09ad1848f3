"""Build the newsroom (Material for MkDocs) from mkdocs.yml."""

from __future__ import annotations

import logging
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
    return out
