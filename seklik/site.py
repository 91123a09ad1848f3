"""Build the newsroom (Material for MkDocs) from mkdocs.yml."""

from __future__ import annotations

import logging
from pathlib import Path

from .stack import ROOT


class SiteBuildError(RuntimeError):
    pass


def build_site(out: Path, config_file: Path = ROOT / "mkdocs.yml") -> Path:
    """Build into ``out`` and return it. Warnings are errors: a broken link fails."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    out = Path(out).resolve()
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), site_dir=str(out), strict=True)
        build(config)
    except MkDocsException as error:
        raise SiteBuildError(str(error)) from None
    except SystemExit as error:  # mkdocs aborts strict builds this way
        raise SiteBuildError(f"the build stopped (see the warnings above): {error}") from None
    return out
