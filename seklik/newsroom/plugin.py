"""The newsroom MkDocs plugin: releases in content/releases/ become the public newsroom.

Hooks, in build order:

- ``on_config``: adds this package's templates to the theme.
- ``on_pre_build``: runs the same check as `seklik release check` and refuses
  to build while any release has a problem (so a broken pull request fails
  in CI), then keeps the public entries (no drafts, no embargoed releases).
- ``on_files``: adds a generated page per public release, its images and
  attachments, and the list pages of ``structure.py``. None of them is in the
  sidebar navigation.
- ``on_env``: gives every template, the theme's own (404.html) included, the
  newsroom's shared context (the office for the colours and the footer).
- ``on_page_markdown`` / ``on_page_context``: choose the template and give it
  the entry or the list.
- ``on_post_build``: writes the feeds and ``build-info.json`` (the public
  URLs, which the scheduled publishing job compares with the deployed copy).

Drafts and embargoed releases never become Files, so they cannot reach any
page, feed, sitemap or search index.
"""

from __future__ import annotations

import json
import mimetypes
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import nh3
from babel.numbers import format_decimal
from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from pydantic import ValidationError

from .config import NewsroomConfig
from .csp import UnknownInlineScript, with_policy
from .entries import Entry, public_entries
from .feeds import Channel, json_feed, rss
from .frontmatter import Contact
from .images import responsive
from .office import OfficeProblems, load_office, problem_lines
from .page_scripts import behaviour_modules, with_page_scripts
from .releases import check_releases
from .structure import FEED_ALL, Listing, archive_years, category_feed, category_url, listings, tag_url

TEMPLATES = Path(__file__).parent / "templates"
EMPTY_SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'

# nh3's defaults plus the ids and classes Markdown extensions write (heading
# anchors, admonitions, tables).
_ALLOWED_ATTRIBUTES = {tag: set(attrs) | {"id", "class"} for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in nh3.ALLOWED_TAGS:
    _ALLOWED_ATTRIBUTES.setdefault(_tag, {"id", "class"})


def _script_safe_json(data: dict) -> str:
    """JSON for a <script> element: no "<", ">" or "&" can end or comment it out."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class NewsroomPlugin(BasePlugin[NewsroomConfig]):
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.by_src: dict[str, Entry] = {}
        self.lists: dict[str, Listing] = {}
        self.shared: dict = {}
        self.translations: dict[str, Entry] = {}
        self.image_sets: dict[str, dict] = {}
        self.built_at = datetime.now(timezone.utc)

    def releases_dir(self, mkdocs_config) -> Path:
        return Path(mkdocs_config.config_file_path).parent / self.config.releases_dir

    # -- configuration and checks ---------------------------------------------

    def on_config(self, config):
        if not self.config.enabled:
            return config
        self.default_contacts, problems = [], []
        for n, contact in enumerate(self.config.contacts):
            try:
                self.default_contacts.append(Contact.model_validate(contact))
            except ValidationError as error:
                problems += problem_lines(error, f"newsroom.contacts.{n}", Contact)
        if problems:
            raise PluginError(f"{len(problems)} masalah pada newsroom.contacts di mkdocs.yml:\n" + "\n".join(problems))
        try:
            self.office = load_office(self.config.office)
        except OfficeProblems as error:
            listing = "\n".join(error.problems)
            raise PluginError(f"{len(error.problems)} masalah pada newsroom.office di mkdocs.yml:\n{listing}") from None
        config.theme.dirs.insert(0, str(TEMPLATES))
        try:
            self.page_modules = behaviour_modules(Path(config.docs_dir) / "assets" / "js")
        except ValueError as error:
            raise PluginError(str(error)) from None
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

    # -- pages -------------------------------------------------------------------

    def on_files(self, files: Files, config) -> Files:
        if not self.config.enabled:
            return files
        self.by_src = {}
        for entry in self.entries:
            src = f"{entry.url}index.md"
            files.append(File.generated(config, src, content=entry.body, inclusion=InclusionLevel.NOT_IN_NAV))
            self.by_src[src] = entry
            for item in [*entry.meta.images, *entry.meta.attachments]:
                asset = (entry.source.parent / item.src).resolve()
                files.append(File.generated(config, self.asset_uri(entry, item.src), abs_src_path=str(asset),
                                            inclusion=InclusionLevel.NOT_IN_NAV))
            for image in entry.meta.images:
                for variant in self._image_variants(entry, image.src, config):
                    files.append(variant)
        self.lists = {}
        for listing in listings(self.entries, self.config.categories):
            files.append(File.generated(config, listing.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
            self.lists[listing.src_uri] = listing
        # Computed once: per-page work must not grow with the number of releases.
        self.shared = self._shared_context()
        by_slug = {e.slug: e for e in self.entries}
        self.translations = {}
        for entry in self.entries:
            other = by_slug.get(entry.meta.translation_of or "")
            if other is not None:
                self.translations[entry.slug] = other
                self.translations.setdefault(other.slug, entry)
        return files

    def _image_variants(self, entry: Entry, src: str, config) -> list[File]:
        """Smaller WebP copies for srcset; remembered for the release template."""
        image_set = responsive((entry.source.parent / src).resolve(), self.image_cache(config))
        original = self.asset_uri(entry, src)
        stem = PurePosixPath(original).stem
        generated, srcset = [], []
        for variant in image_set.variants:
            uri = f"{entry.url}{stem}-{variant.width}.webp"
            generated.append(File.generated(config, uri, abs_src_path=str(variant.path),
                                            inclusion=InclusionLevel.NOT_IN_NAV))
            srcset.append((PurePosixPath(uri).name, variant.width))
        srcset.append((PurePosixPath(original).name, image_set.width))
        self.image_sets[original] = {"width": image_set.width, "height": image_set.height,
                                     "srcset": ", ".join(f"{name} {width}w" for name, width in srcset),
                                     # the same copies from any page: the lists show each release's lead photo
                                     "variants": [(f"{entry.url}{name}", width) for name, width in srcset]}
        return generated

    def lead_image(self, entry: Entry) -> dict | None:
        """The first photo of a release, for the lists: its copies (site-relative) and its size."""
        if not entry.meta.images:
            return None
        image = entry.meta.images[0]
        return {"alt": image.alt, **self.image_sets[self.asset_uri(entry, image.src)]}

    def image_cache(self, mkdocs_config) -> Path:
        return Path(mkdocs_config.config_file_path).parent / self.config.image_cache_dir

    @staticmethod
    def asset_uri(entry: Entry, src: str) -> str:
        """Images and attachments sit beside their release page."""
        return f"{entry.url}{PurePosixPath(src).name}"

    def on_env(self, env, config, files):
        # Pages get it in on_page_context too; theme templates (404.html) have no page, only the environment.
        if self.config.enabled:
            env.globals["newsroom"] = self.shared
        return env

    def on_page_markdown(self, markdown: str, page, config, files):
        src = page.file.src_uri
        # MkDocs renders templates without autoescaping and Material prints
        # page.meta as is: escape editors' text here, once (Markup is not
        # escaped again by our autoescaping templates).
        if src in self.by_src:
            page.meta["template"] = "newsroom/release.html"
            page.meta["title"] = escape(self.by_src[src].meta.title)
            page.meta["description"] = escape(self.by_src[src].meta.summary)
        elif src in self.lists:
            page.meta["template"] = "newsroom/list.html"
            page.meta["title"] = escape(self.lists[src].title)
            page.meta["description"] = escape(self.lists[src].description)
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        """Release bodies may hold raw HTML (Markdown allows it): keep only harmless markup.

        The site shares its origin with the API, so a script in a release
        would run with a signed-in staff member's session.
        """
        if page.file.src_uri not in self.by_src:
            return html
        return nh3.clean(html, attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener")

    def on_page_context(self, context, page, config, nav):
        if not self.config.enabled:
            return context
        src = page.file.src_uri
        context["newsroom"] = self.shared
        if src in self.by_src:
            context["entry"] = self._release_context(self.by_src[src], config)
        elif src in self.lists:
            context["listing"] = self.lists[src]
        return context

    def _shared_context(self) -> dict:
        used = {e.meta.category for e in self.entries}
        return {
            "latest": self.entries[:10],
            "categories": [(name, category_url(name)) for name in self.config.categories if name in used],
            "years": archive_years(self.entries),
            "category_url": category_url,
            "category_feed": category_feed,
            "office": self.office,
            "lead_image": self.lead_image,
            "contacts": self.default_contacts,
            "feed": FEED_ALL,
            "tag_url": tag_url,
        }

    def _release_context(self, entry: Entry, config) -> dict:
        site_url = config.site_url or ""
        translation = self.translations.get(entry.slug)
        return {
            "entry": entry,
            "images": [(image, self.asset_uri(entry, image.src), self.image_sets[self.asset_uri(entry, image.src)])
                       for image in entry.meta.images],
            "attachments": [self._attachment(entry, a) for a in entry.meta.attachments],
            "contacts": entry.meta.contacts if entry.meta.contacts is not None else self.default_contacts,
            "translation": translation,
            "absolute_url": site_url + entry.url,
            "json_ld": _script_safe_json(self._json_ld(entry, site_url, config.site_name)),
        }

    def _attachment(self, entry: Entry, attachment) -> dict:
        path = (entry.source.parent / attachment.src).resolve()
        size = path.stat().st_size
        kind = (mimetypes.guess_type(path.name)[0] or "application/octet-stream").split("/")[-1].upper()
        if size >= 1024 * 1024:
            label = f"{format_decimal(size / 1024 / 1024, '#,##0.0', locale='id')} MB"
        else:
            label = f"{format_decimal(max(1, size // 1024), locale='id')} KB"
        return {"title": attachment.title, "url": self.asset_uri(entry, attachment.src), "type": kind, "size": label}

    def _json_ld(self, entry: Entry, site_url: str, site_name: str) -> dict:
        publisher = {"@type": "GovernmentOrganization", "name": site_name, "url": site_url}
        return {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": entry.meta.title[:110],
            "description": entry.meta.summary,
            "datePublished": entry.published_at.isoformat(),
            "dateModified": entry.modified_at.isoformat(),
            "inLanguage": entry.meta.lang,
            "mainEntityOfPage": site_url + entry.url,
            "image": [site_url + self.asset_uri(entry, image.src) for image in entry.meta.images],
            "author": {"@type": "GovernmentOrganization", "name": entry.meta.unit or site_name},
            "publisher": publisher,
            **({"dateline": entry.meta.location} if entry.meta.location else {}),
            **({"articleSection": entry.meta.category} if entry.meta.category else {}),
            **({"keywords": entry.meta.tags} if entry.meta.tags else {}),
        }

    # -- the pages' script policy ------------------------------------------------------

    def on_post_page(self, output: str, page, config) -> str:
        if not self.config.enabled:
            return output
        return self._policed(with_page_scripts(output, page.url, self.page_modules), page.file.src_uri)

    def on_post_template(self, output: str, template_name: str, config) -> str:
        # 404.html and other theme templates are not pages.
        return self._policed(output, template_name) if self.config.enabled and template_name.endswith(".html") else output

    @staticmethod
    def _policed(output: str, where: str) -> str:
        try:
            return with_policy(output)
        except UnknownInlineScript as error:
            raise PluginError(f"{where}: {error}. Put scripts in docs/assets/js/ (the site allows only those).") from None

    # -- feeds and build info --------------------------------------------------------

    def on_post_build(self, config) -> None:
        if not self.config.enabled:
            return
        site_dir = Path(config.site_dir)
        site_url = config.site_url or "/"
        feeds = [(FEED_ALL, config.site_name, "Siaran pers terbaru.", self.entries)]
        for name in self.config.categories:
            chosen = [e for e in self.entries if e.meta.category == name]
            if chosen:
                feeds.append((category_feed(name), f"{config.site_name}: {name}", f"Siaran pers kategori {name}.", chosen))
        for base, title, description, entries in feeds:
            target = site_dir / base
            target.parent.mkdir(parents=True, exist_ok=True)
            (site_dir / f"{base}.xml").write_bytes(rss(Channel(title, description, site_url, f"{base}.xml"), entries, self.built_at))
            (site_dir / f"{base}.json").write_bytes(json_feed(Channel(title, description, site_url, f"{base}.json"), entries))
        # Material's script fetches "sitemap.xml" beside every <link rel="alternate">
        # (for its language switcher). Feeds live in feed/ with a tiny empty
        # sitemap there, so a page's RSS link does not make every visitor
        # download the whole site's sitemap.
        for folder in {Path(base).parent for base, *_ in feeds}:
            (site_dir / folder / "sitemap.xml").write_text(EMPTY_SITEMAP, encoding="utf-8")
        info = {"public": sorted(entry.url for entry in self.entries)}
        (site_dir / "build-info.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        # The API reads this to let order staff name a published release by its slug, to know what
        # may be sent as public, and to tell subscribers of new releases.
        index = {"site_name": config.site_name, "categories": list(self.config.categories), "releases": [
            {"slug": e.slug, "title": e.meta.title, "url": f"{site_url}{e.url}", "date": e.meta.date.isoformat(),
             "published_at": e.published_at.isoformat(), "summary": e.meta.summary, "category": e.meta.category,
             "lang": e.meta.lang}
            for e in self.entries
        ]}
        (site_dir / "releases.json").write_text(json.dumps(index, ensure_ascii=False) + "\n", encoding="utf-8")
