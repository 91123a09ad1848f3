"""The newsroom MkDocs plugin.

- ``on_pre_build``: runs the same check as `seklik release check` and refuses
  to build while any release has a problem, so a pull request with a broken
  release fails in CI before anyone merges it.
- ``on_post_build``: writes ``build-info.json``, the list of public release
  URLs, which the scheduled publishing job compares with the deployed one to
  publish exactly when an embargo lifts (see .github/workflows/newsroom.yml).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from pydantic import ValidationError

from .config import NewsroomConfig
from .frontmatter import Contact
from .entries import public_entries
from .releases import check_releases


class NewsroomPlugin(BasePlugin[NewsroomConfig]):
    def releases_dir(self, mkdocs_config) -> Path:
        return Path(mkdocs_config.config_file_path).parent / self.config.releases_dir

    def on_config(self, config):
        if not self.config.enabled:
            return config
        try:
            [Contact.model_validate(c) for c in self.config.contacts]
        except ValidationError as error:
            raise PluginError(f"newsroom.contacts in mkdocs.yml is not valid: {error}") from None
        return config

    def on_pre_build(self, config) -> None:
        if not self.config.enabled:
            return
        self.built_at = datetime.now(timezone.utc)
        releases, problems = check_releases(self.releases_dir(config), self.config.categories)
        if problems:
            listing = "\n".join(str(p) for p in problems)
            raise PluginError(f"{len(problems)} masalah dalam siaran pers (periksa dengan `seklik release check`):\n{listing}")
        self.entries = public_entries(releases, self.built_at)

    def on_post_build(self, config) -> None:
        if not self.config.enabled:
            return
        info = {"public": sorted(entry.url for entry in self.entries)}
        (Path(config.site_dir) / "build-info.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
