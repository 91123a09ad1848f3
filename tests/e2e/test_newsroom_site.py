"""The newsroom built from fixture releases: pages, lists, feeds, sitemap, JSON-LD, embargo."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from seklik.site import build_site

SITE_URL = "https://rilis.example.go.id/"


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


def _release(folder: Path, name: str, title: str, date: str, body: str = "Isi siaran pers.", **extra: str) -> None:
    summary = extra.pop("summary", f"Ringkasan {title}.")
    lines = [f"title: {title}", f"date: {date}", f"summary: {summary}", *[f"{k}: {v}" for k, v in extra.items()]]
    (folder / name).write_text("---\n" + "\n".join(lines) + f"\n---\n\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("newsroom")
    releases = root / "releases"
    releases.mkdir()
    assets = releases / "2021-09-03-kunjungan"
    assets.mkdir()
    (assets / "foto.png").write_bytes(PNG)
    (assets / "jadwal.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * 3000)
    _release(releases, "2021-09-03-kunjungan.md", "Kunjungan Humas DPRD", "2021-09-03T10:00:00+07:00",
             body="Naskah tentang kunjungan dengan kata unik zamrudkatulistiwa.",
             category="Kunjungan Kerja", location="Kayuagung", tags="[Seklik, komunikasi publik]",
             images="[{src: 2021-09-03-kunjungan/foto.png, alt: Rombongan DPRD di aula, caption: Kunjungan, credit: Humas}]",
             attachments="[{src: 2021-09-03-kunjungan/jadwal.pdf, title: Jadwal kunjungan}]")
    _release(releases, "2021-09-04-visit.md", "DPRD Visit", "2021-09-04", lang="en",
             translation_of="kunjungan", category="Kunjungan Kerja")
    _release(releases, "2021-09-05-draf.md", "Rahasia Draf", "2021-09-05", draft="true", body="zirkondrafbeku")
    _release(releases, "2021-09-06-embargo.md", "Rahasia Embargo", "2021-09-06",
             embargo_until="2999-01-01T00:00:00+07:00", body="zirkonembargobeku", category="Pemerintahan")
    _release(releases, "2021-08-01-kutipan.md", '"Bupati: \\"Layanan & <b>Informasi</b>\\" <script>alert(1)</script>"',
             "2021-08-01T09:00:00+07:00", body='Isi <script>alert("isi")</script> <a href="#" onclick="x()">tautan</a>.',
             location='"<img src=x onerror=alert(2)>"', tags="[Seklik, seklik]",
             summary="'Kutipan \"dengan tanda petik\" & <i>tag</i>.'",
             updated="2021-08-02T01:00:00Z")
    for n in range(1, 24):
        _release(releases, f"2022-01-{n:02d}-rapat-{n}.md", f"Rapat ke-{n}", f"2022-01-{n:02d}", category="Pemerintahan")
    from PIL import Image

    Image.new("RGB", (1200, 800), "teal").save(assets / "panggung.jpg", quality=90)
    _release(releases, "2021-09-02-panggung.md", "Panggung Besar", "2021-09-02T08:00:00+07:00",
             images="[{src: 2021-09-03-kunjungan/panggung.jpg, alt: Panggung acara dari kejauhan}]")
    newsroom = {"releases_dir": str(releases), "categories": ["Pemerintahan", "Kunjungan Kerja"],
                "image_cache_dir": str(root / "image-cache"),
                "contacts": [{"name": "Humas", "email": "humas@example.go.id"}]}
    return build_site(root / "site", plugins=[{"newsroom": newsroom}], site_url=SITE_URL)


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def all_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in {".html", ".xml", ".json", ".txt"})


class _JsonLd(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs

    def handle_data(self, data):
        if self._inside:
            self.blocks.append(json.loads(data))

    def handle_endtag(self, tag):
        self._inside = False


def test_a_release_page_has_dateline_date_summary_body_image_attachment_contacts_and_share_links(site):
    html = page(site, "rilis/2021/09/kunjungan")
    assert "<h1>Kunjungan Humas DPRD</h1>" in html
    assert "<strong>Kayuagung</strong>" in html and ">3 September 2021</time>" in html
    assert "Ringkasan Kunjungan Humas DPRD." in html
    assert "zamrudkatulistiwa" in html
    assert 'alt="Rombongan DPRD di aula"' in html and "(Humas)" in html
    assert 'href="foto.png" download' in html
    assert (site / "rilis/2021/09/kunjungan/foto.png").read_bytes() == PNG
    assert re.search(r'href="jadwal\.pdf" download>Jadwal kunjungan</a> <span class="seklik-muted">\(PDF, 2 KB\)', html)
    assert "humas@example.go.id" in html
    for share in ("https://wa.me/?text=", "https://x.com/intent/post", "facebook.com/sharer", "mailto:?subject="):
        assert share in html
    assert 'href="../../../2021/09/visit/"' in html or 'href="../visit/"' in html  # the English translation
    assert f'<link rel="canonical" href="{SITE_URL}rilis/2021/09/kunjungan/">' in html
    assert '<meta property="og:title" content="Kunjungan Humas DPRD">' in html
    assert f'<meta property="og:image" content="{SITE_URL}rilis/2021/09/kunjungan/foto.png">' in html


def test_the_json_ld_is_a_news_article(site):
    parser = _JsonLd()
    parser.feed(page(site, "rilis/2021/09/kunjungan"))
    (article,) = parser.blocks
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Kunjungan Humas DPRD"
    assert article["datePublished"] == "2021-09-03T10:00:00+07:00"
    assert article["dateModified"] == "2021-09-03T10:00:00+07:00"
    assert article["image"] == [f"{SITE_URL}rilis/2021/09/kunjungan/foto.png"]
    assert article["author"]["name"] and article["publisher"]["name"] == "Seklik Diskominfo"


def test_lists_archives_categories_tags_and_pagination(site):
    first = page(site, "rilis")
    assert first.count('<li class="seklik-entry') == 20
    assert "Halaman 1 dari 2" in first and 'href="halaman/2/"' in first
    assert page(site, "rilis/halaman/2").count('<li class="seklik-entry') == 7
    assert "Rapat ke-23" in page(site, "kategori/pemerintahan")
    assert "Kunjungan Humas DPRD" in page(site, "kategori/kunjungan-kerja")
    assert "Kunjungan Humas DPRD" in page(site, "tag/komunikasi-publik")
    assert "September 2021" in page(site, "rilis/2021") and "Januari 2022" in page(site, "rilis/2022")
    assert "DPRD Visit" in page(site, "rilis/2021/09")
    home = page(site, ".")
    assert "Rapat ke-23" in home and 'href="feed/rilis.xml"' in home


def test_feeds_parse_and_list_public_releases(site):
    rss = ET.parse(site / "feed/rilis.xml").getroot()
    links = [i.findtext("link") for i in rss.findall("./channel/item")]
    assert links[0] == f"{SITE_URL}rilis/2022/01/rapat-23/"
    assert f"{SITE_URL}rilis/2021/09/kunjungan/" in links
    category = ET.parse(site / "feed/kategori/kunjungan-kerja.xml").getroot()
    assert {i.findtext("title") for i in category.findall("./channel/item")} == {"Kunjungan Humas DPRD", "DPRD Visit"}
    feed = json.loads((site / "feed/rilis.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and len(feed["items"]) == 27


def test_the_sitemap_lists_release_pages(site):
    text = (site / "sitemap.xml").read_text()
    assert f"<loc>{SITE_URL}rilis/2021/09/kunjungan/</loc>" in text


def test_drafts_and_embargoed_releases_are_nowhere_in_the_site(site):
    text = all_text(site)
    for secret in ("Rahasia Draf", "zirkondrafbeku", "Rahasia Embargo", "zirkonembargobeku", "rilis/2021/09/embargo", "rilis/2021/09/draf"):
        assert secret not in text
    assert not (site / "rilis/2021/09/embargo").exists() and not (site / "rilis/2021/09/draf").exists()


@pytest.fixture(scope="module")
def served(site):
    from tests.e2e.conftest import static_server

    with static_server(site) as origin:
        yield origin


@pytest.mark.browser
def test_searching_a_word_from_a_release_body_finds_it_and_opens_it(page, served):
    from playwright.sync_api import expect

    page.goto(f"{served}/cari/")
    search = page.get_by_role("searchbox").or_(page.get_by_label("Kata pencarian")).first
    search.fill("zamrudkatulistiwa")
    result = page.locator(".pagefind-ui__result-link").first
    expect(result).to_have_text("Kunjungan Humas DPRD")
    result.click()
    page.wait_for_url(f"{served}/rilis/2021/09/kunjungan/")
    expect(page.locator("h1")).to_have_text("Kunjungan Humas DPRD")


@pytest.mark.browser
def test_the_search_page_offers_categories_and_years_before_a_word_and_open_filters_after(page, served):
    from playwright.sync_api import expect

    page.goto(f"{served}/cari/")
    expect(page.get_by_role("link", name="Kunjungan Kerja")).to_be_visible()  # to browse before typing
    expect(page.get_by_role("link", name="2021")).to_be_visible()
    page.goto(f"{served}/cari/?q=zamrudkatulistiwa")
    expect(page.locator(".pagefind-ui__message")).to_have_text("Ditemukan 1 hasil untuk zamrudkatulistiwa")
    filters = page.locator(".pagefind-ui__filter-panel")
    expect(filters.get_by_label("Kunjungan Kerja (1)")).to_be_visible()  # open, not folded away
    expect(filters.get_by_label("2021 (1)")).to_be_visible()
    # The year is a filter, not words of the release: the excerpt starts with the release's own text.
    assert not page.locator(".pagefind-ui__result-excerpt").first.inner_text().startswith("2021")


@pytest.mark.browser
def test_search_finds_nothing_from_drafts_or_embargoed_releases(page, served):
    from playwright.sync_api import expect

    # Each word appears only in the body of a held-back release: indexed, it would be found.
    for word in ("zirkonembargobeku", "zirkondrafbeku"):
        page.goto(f"{served}/cari/?q={word}")
        expect(page.locator(".pagefind-ui__message")).to_have_text(f"{word} tidak ditemukan")
        assert page.locator(".pagefind-ui__result").count() == 0
    # The same search does find a word of a public release (the check above is not vacuous).
    page.goto(f"{served}/cari/?q=zamrudkatulistiwa")
    expect(page.locator(".pagefind-ui__message")).to_have_text("Ditemukan 1 hasil untuk zamrudkatulistiwa")


@pytest.mark.browser
def test_search_stems_indonesian_words(page, served):
    """'kunjungi' and 'kunjungan' share the stem 'kunjung'."""
    from playwright.sync_api import expect

    page.goto(f"{served}/cari/?q=kunjungi")
    expect(page.locator(".pagefind-ui__result-link").first).to_have_text("Kunjungan Humas DPRD")


def test_large_photos_get_smaller_webp_copies_for_phones(site):
    html = page(site, "rilis/2021/09/panggung")
    assert 'srcset="panggung-480.webp 480w, panggung-960.webp 960w, panggung.jpg 1200w"' in html
    assert 'width="1200" height="800"' in html
    from PIL import Image

    with Image.open(site / "rilis/2021/09/panggung/panggung-480.webp") as small:
        assert small.size == (480, 320) and small.format == "WEBP"
    assert (site / "rilis/2021/09/panggung/panggung.jpg").stat().st_size > 0  # the original stays downloadable


def test_the_lists_lead_with_each_releases_photo_its_small_copies_lazy_loaded(site):
    import re

    listed = page(site, "rilis/2021/09")
    photo = re.search(r'<a class="seklik-entry__photo" href="panggung/"[^>]*>\s*<img ([^>]+)>', listed)
    assert photo, "the release with a photo shows it in the month's list"
    img = photo.group(1)
    assert 'srcset="panggung/panggung-480.webp 480w, panggung/panggung-960.webp 960w, panggung/panggung.jpg 1200w"' in img
    assert 'src="panggung/panggung-480.webp"' in img and 'width="1200" height="800"' in img  # no layout shift
    assert 'alt=""' in img  # the title beside it is the link's text
    assert 'tabindex="-1" aria-hidden="true"' in photo.group(0)
    home = page(site, ".")
    lead = re.search(r'<li class="seklik-entry[^"]*seklik-entry--lead', home)
    assert lead and home.count("seklik-entry--lead") == 1  # the newest release is shown large, once
    assert 'loading="lazy"' in listed or 'loading="eager"' in listed


def test_editors_text_is_escaped_and_release_bodies_cannot_run_scripts(site):
    html = page(site, "rilis/2021/08/kutipan")
    assert "<script>alert" not in html and "<img src=x" not in html and 'onclick="x()"' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title is shown as written, as text
    assert '&#34;Layanan &amp; &lt;b&gt;Informasi&lt;/b&gt;&#34;' in html or "&quot;Layanan &amp;" in html
    parser = _JsonLd()
    parser.feed(html)
    assert parser.blocks[0]["headline"].startswith('Bupati: "Layanan & <b>Informasi</b>"')
    listed = page(site, "rilis/2021/08")
    assert "<script>alert" not in listed


def test_the_update_time_is_shown_in_wib(site):
    assert "2 Agustus 2021, 08.00 WIB" in page(site, "rilis/2021/08/kutipan")


def test_tags_that_differ_only_in_case_share_one_complete_list(site):
    listed = page(site, "tag/seklik")
    assert "kutipan" in listed and "Kunjungan Humas DPRD" in listed


def test_feed_links_do_not_make_visitors_download_the_whole_sitemap(site):
    # Material fetches sitemap.xml beside every <link rel="alternate">.
    assert (site / "feed" / "sitemap.xml").stat().st_size < 200
    assert (site / "feed" / "kategori" / "sitemap.xml").stat().st_size < 200
