"""RSS 2.0 and JSON Feed 1.1 documents for a list of public entries.

Pure functions: the plugin decides which entries (all, or one category) and
where the files go. Links are absolute (feed readers need them), built from
the site URL in mkdocs.yml.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Callable
from xml.etree import ElementTree as ET

from .entries import Entry

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50  # readers poll often; the archive pages hold the rest


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    site_url: str  # absolute, ending in "/"
    path: str  # the feed's own site-relative path, e.g. "feed.xml"
    language: str = "id"

    def absolute(self, relative: str) -> str:
        return self.site_url + relative.lstrip("/")


def rss(channel: Channel, entries: list[Entry], now: datetime) -> bytes:
    ET.register_namespace("atom", ATOM)
    root = ET.Element("rss", {"version": "2.0"})
    feed = ET.SubElement(root, "channel")
    ET.SubElement(feed, "title").text = channel.title
    ET.SubElement(feed, "link").text = channel.site_url
    ET.SubElement(feed, "description").text = channel.description
    ET.SubElement(feed, "language").text = channel.language
    ET.SubElement(feed, "lastBuildDate").text = format_datetime(now.astimezone(timezone.utc))
    ET.SubElement(feed, f"{{{ATOM}}}link",
                  {"href": channel.absolute(channel.path), "rel": "self", "type": "application/rss+xml"})
    for entry in entries[:FEED_LIMIT]:
        item = ET.SubElement(feed, "item")
        url = channel.absolute(entry.url)
        ET.SubElement(item, "title").text = entry.meta.title
        ET.SubElement(item, "link").text = url
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = url
        ET.SubElement(item, "pubDate").text = format_datetime(entry.published_at.astimezone(timezone.utc))
        ET.SubElement(item, "description").text = entry.meta.summary
        if entry.meta.category:
            ET.SubElement(item, "category").text = entry.meta.category
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def json_feed(channel: Channel, entries: list[Entry], html_of: Callable[[Entry], str] | None = None) -> bytes:
    items = []
    for entry in entries[:FEED_LIMIT]:
        url = channel.absolute(entry.url)
        item = {
            "id": url,
            "url": url,
            "title": entry.meta.title,
            "summary": entry.meta.summary,
            "date_published": entry.published_at.isoformat(),
            "date_modified": entry.modified_at.isoformat(),
            "language": entry.meta.lang,
            "tags": ([entry.meta.category] if entry.meta.category else []) + entry.meta.tags,
        }
        if html_of is not None:
            item["content_html"] = html_of(entry)
        else:
            item["content_text"] = entry.meta.summary
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "description": channel.description,
        "home_page_url": channel.site_url,
        "feed_url": channel.absolute(channel.path),
        "language": channel.language,
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
