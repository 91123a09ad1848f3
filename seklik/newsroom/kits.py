"""Press kits: each release rendered as the email the office sends to the press, built beside the site.

The API holds no release content: the newsroom build is the truth about
releases. To send a release to partners (before its embargo lifts, too) the
API needs it as an email, so the build also renders, for every valid release
that is not a draft, a kit: ``<slug>/kit.json`` (the facts and the email's
subject, text and HTML, in a *public* variant and, for a release under
embargo, an *embargoed* variant with the EMBARGO banner) and
``<slug>/files/`` (its original images and attachments).

Kits go to the private documents bucket under ``releases/`` (the publishing
workflow syncs them; ``seklik dev`` uploads them), never to the public site:
an embargoed release must not be reachable there. The email body is the
page's body, sanitised the same way (nh3, the plugin's allow-list).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import markdown
import nh3
from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .entries import Entry, public_from
from .frontmatter import WIB, Contact
from .releases import check_releases

TEMPLATES = Path(__file__).parent / "templates" / "newsroom" / "email"
KIT_FILE = "kit.json"
KIT_VERSION = 1


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


def wib_label(at: datetime, lang: str) -> str:
    """`5 Desember 2026, 08.00 WIB` (always WIB: the office's time)."""
    return f"{format_datetime(at.astimezone(WIB), 'd MMMM y, HH.mm', locale=lang)} WIB"


def build_kits(out: Path, config_file: Path, site_url: str | None = None,
               releases_dir: Path | None = None) -> list[str]:
    """Write a kit per distributable release into ``out`` (emptied first); return their slugs.

    ``releases_dir`` replaces the configured folder (tests use their own releases)."""
    from mkdocs.config import load_config

    from .plugin import _ALLOWED_ATTRIBUTES, NewsroomPlugin

    config = load_config(str(config_file), **({"site_url": site_url} if site_url else {}))
    plugin = next(p for p in config.plugins.values() if isinstance(p, NewsroomPlugin))
    options = plugin.config
    releases, _ = check_releases(releases_dir or plugin.releases_dir(config), options.categories)
    site = (config.site_url or "/").rstrip("/") + "/"
    default_contacts = [Contact.model_validate(c) for c in options.contacts]
    env = _environment()
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    slugs = []
    for release in releases:
        # A release with a problem is not on the site either; a draft is nobody's to send.
        if release.meta is None or release.problems or release.meta.draft:
            continue
        entry = Entry(meta=release.meta, body=release.body, source=release.path, slug=release.slug)
        renderer = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        body_html = nh3.clean(renderer.convert(entry.body), attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener")
        kit = _kit(entry, body_html, site, config.site_name, default_contacts, env)
        folder = out / entry.slug
        (folder / "files").mkdir(parents=True)
        for item in [*entry.meta.images, *entry.meta.attachments]:
            shutil.copyfile((entry.source.parent / item.src).resolve(), folder / "files" / Path(item.src).name)
        (folder / KIT_FILE).write_text(json.dumps(kit, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        slugs.append(entry.slug)
    return slugs


def _kit(entry: Entry, body_html: str, site: str, site_name: str, default_contacts: list[Contact],
         env: Environment) -> dict:
    meta = entry.meta
    url = site + entry.url
    files = [{"name": Path(i.src).name, "title": i.alt, "kind": "image"} for i in meta.images]
    files += [{"name": Path(a.src).name, "title": a.title, "kind": "attachment"} for a in meta.attachments]
    embargoed = meta.embargo_until is not None and meta.embargo_until > meta.date
    base = {
        "entry": entry, "url": url, "site_name": site_name, "body_html": body_html,
        "contacts": meta.contacts if meta.contacts is not None else default_contacts,
        "en": meta.lang == "en",
    }
    mail = {"public": _render(env, {**base, "embargo": None,
                                    "files": [{**f, "url": url + f["name"]} for f in files]})}
    if embargoed:
        # Before the lift the page and its files are not public: links go to the API, which serves
        # them to the partners the release was sent to (signed in).
        api_files = [{**f, "url": f"{site}api/v1/releases/{entry.slug}/files/{f['name']}"} for f in files]
        mail["embargoed"] = _render(env, {**base, "embargo": wib_label(meta.embargo_until, meta.lang),
                                          "files": api_files})
    return {
        "version": KIT_VERSION,
        "slug": entry.slug, "title": meta.title, "lang": meta.lang, "summary": meta.summary,
        "category": meta.category, "url": url, "date": meta.date.isoformat(),
        "public_from": public_from(meta).isoformat(),
        "embargo_until": meta.embargo_until.isoformat() if embargoed else None,
        "files": files, "mail": mail,
    }


def _render(env: Environment, context: dict) -> dict:
    entry: Entry = context["entry"]
    subject = entry.meta.title
    if context["embargo"]:
        subject = f"[EMBARGO hingga {context['embargo']}] {subject}"
    return {"subject": subject,
            "text": env.get_template("release.txt").render(context),
            "html": env.get_template("release.html").render(context)}
