"""The newsroom MkDocs plugin. Today it refuses to build with invalid releases.

The site build runs the same check as `seklik release check`, so a pull
request whose release has a problem fails in CI before anyone merges it.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from pydantic import ValidationError

from .config import NewsroomConfig
from .frontmatter import Contact
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
        _, problems = check_releases(self.releases_dir(config), self.config.categories)
        if problems:
            listing = "\n".join(str(p) for p in problems)
            raise PluginError(f"{len(problems)} masalah dalam siaran pers (periksa dengan `seklik release check`):\n{listing}")
