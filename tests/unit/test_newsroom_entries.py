"""Which releases are public, their URLs and dates, and the feeds made from them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from seklik.newsroom.entries import public_entries
from seklik.newsroom.feeds import Channel, json_feed, rss
from seklik.newsroom.frontmatter import read_release

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def release(folder: Path, name: str, extra: str = "", date: str = "2021-09-03T10:00:00+07:00"):
    path = folder / name
    path.write_text(f"---\ntitle: Judul {name}\ndate: {date}\nsummary: Ringkasan & <penting>.\n"
                    f"category: Pemerintahan\n{extra}---\n\nIsi.\n", encoding="utf-8")
    return read_release(path, ["Pemerintahan"])


def test_drafts_and_embargoed_releases_are_not_public_until_their_time(tmp_path):
    released = [
        release(tmp_path, "2021-09-03-terbit.md"),
        release(tmp_path, "2021-09-04-draf.md", "draft: true\n"),
        release(tmp_path, "2026-11-26-embargo.md", "embargo_until: 2026-11-26T20:00:00+07:00\n",
                date="2026-11-26T08:00:00+07:00"),
        release(tmp_path, "2026-12-01-terjadwal.md", date="2026-12-01T08:00:00+07:00"),
    ]
    assert all(r.problems == [] for r in released)
    assert [e.slug for e in public_entries(released, NOW)] == ["terbit"]
    later = NOW + timedelta(hours=1, seconds=1)
    assert [e.slug for e in public_entries(released, later)] == ["embargo", "terbit"]


def test_urls_follow_the_date_in_wib_and_dates_read_like_indonesian_dates(tmp_path):
    late_utc = release(tmp_path, "2021-10-01-malam.md", date="2021-09-30T18:30:00+00:00")
    (entry,) = public_entries([late_utc], NOW)
    assert entry.url == "rilis/2021/10/malam/"
    assert entry.date_label == "1 Oktober 2021"


def test_rss_and_json_feed_parse_and_carry_absolute_links(tmp_path):
    entries = public_entries([release(tmp_path, "2021-09-03-satu.md"), release(tmp_path, "2021-09-05-dua.md",
                                                                                date="2021-09-05")], NOW)
    channel = Channel("Siaran Pers", "Diskominfo", "https://seklik.example.go.id/", "feed.xml")

    root = ET.fromstring(rss(channel, entries, NOW))
    items = root.findall("./channel/item")
    assert [i.findtext("link") for i in items] == [
        "https://seklik.example.go.id/rilis/2021/09/dua/", "https://seklik.example.go.id/rilis/2021/09/satu/"]
    assert items[1].findtext("description") == "Ringkasan & <penting>."
    assert parsedate_to_datetime(items[1].findtext("pubDate")) == datetime(2021, 9, 3, 3, 0, tzinfo=timezone.utc)
    assert root.find("./channel/{http://www.w3.org/2005/Atom}link").get("href") == "https://seklik.example.go.id/feed.xml"

    document = json.loads(json_feed(channel, entries))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["items"][0]["url"] == "https://seklik.example.go.id/rilis/2021/09/dua/"
    assert document["items"][0]["tags"] == ["Pemerintahan"]


def test_modified_is_never_before_published(tmp_path):
    late = release(tmp_path, "2021-09-03-terlambat.md", "embargo_until: 2021-09-10T08:00:00+07:00\n")
    (entry,) = public_entries([late], NOW)
    assert entry.published_at == entry.modified_at == datetime(2021, 9, 10, 1, 0, tzinfo=timezone.utc)


def test_transparent_photos_keep_their_transparency(tmp_path):
    from PIL import Image

    from seklik.newsroom.images import responsive

    logo = Image.new("RGBA", (1000, 500), (0, 0, 0, 0))
    logo.paste((200, 30, 30, 255), (400, 200, 600, 300))
    logo.save(tmp_path / "logo.png")
    image_set = responsive(tmp_path / "logo.png", tmp_path / "cache")
    assert (image_set.width, image_set.height) == (1000, 500)
    assert [v.width for v in image_set.variants] == [480, 960]
    with Image.open(image_set.variants[0].path) as small:
        assert small.mode == "RGBA" and small.getpixel((0, 0))[3] == 0
