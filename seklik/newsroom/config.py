"""The newsroom plugin's options, set under `plugins: - newsroom:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class NewsroomConfig(Config):
    enabled = c.Type(bool, default=True)
    # Relative to mkdocs.yml.
    releases_dir = c.Type(str, default="content/releases")
    # The categories editors may use in `category:`; the order is the site's order.
    categories = c.ListOfItems(c.Type(str), default=[])
    # Used when a release has no `contacts:` of its own; also the press contacts of the contact page.
    contacts = c.ListOfItems(c.Type(dict), default=[])
    # The office: name, address, colours, social accounts (seklik/newsroom/office.py, which checks it and says in
    # Indonesian what is wrong; absent: a generic office, reported as a sample).
    office = c.Optional(c.Type(object))
    # Resized copies of release photos, kept between builds (relative to mkdocs.yml).
    image_cache_dir = c.Type(str, default=".cache/newsroom-images")
    # Suggested by `seklik release new`.
    default_location = c.Type(str, default="")
    default_unit = c.Type(str, default="")
