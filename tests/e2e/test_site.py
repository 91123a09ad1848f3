"""The built newsroom: first page, login page, the API reference made from openapi.yaml, the not-found page, and
the structure of every page."""

from html.parser import HTMLParser

import pytest

from seklik import openapi


def test_the_first_pages_are_built_in_indonesian(site_dir):
    home = (site_dir / "index.html").read_text()
    assert '<html lang="id"' in home
    assert "Sistem Integrasi Komunikasi Publik" in home
    login = (site_dir / "masuk" / "index.html").read_text()
    assert 'data-seklik="login-form"' in login
    assert 'autocomplete="current-password"' in login


def test_the_api_reference_lists_every_documented_route_with_who_may_call_it(site_dir):
    page = (site_dir / "referensi-api" / "index.html").read_text()
    spec = openapi.load()
    for path, operations in spec["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in page
    assert "boleh dipanggil oleh: administrator" in page
    assert (site_dir / "referensi-api" / "openapi.yaml").read_text() == openapi.OPENAPI_FILE.read_text()


def test_no_builtin_search_index_is_shipped(site_dir):
    # Pagefind replaces lunr with the newsroom (issue 3); lunr's index would grow with every release.
    assert not (site_dir / "search" / "search_index.json").exists()


def test_the_build_stops_on_an_invalid_release_and_names_it(tmp_path):
    import pytest

    from seklik.site import SiteBuildError, build_site

    releases = tmp_path / "releases"
    releases.mkdir()
    (releases / "2021-09-03-rapat.md").write_text("---\ntitle: Rapat\ndate: kemarin\nsummary: Ringkas.\n---\n\nIsi.\n")
    with pytest.raises(SiteBuildError) as caught:
        build_site(tmp_path / "site", plugins=[{"newsroom": {"releases_dir": str(releases)}}])
    assert "2021-09-03-rapat.md:3: 'date': tanggal/waktu tidak dapat dibaca" in str(caught.value)


def test_build_info_lists_only_public_releases(tmp_path):
    import json

    from seklik.site import build_site

    releases = tmp_path / "releases"
    releases.mkdir()
    head = "---\ntitle: {t}\ndate: {d}\nsummary: Ringkas.\n{x}---\n\nIsi.\n"
    (releases / "2021-09-03-terbit.md").write_text(head.format(t="Terbit", d="2021-09-03", x=""))
    (releases / "2021-09-04-draf.md").write_text(head.format(t="Draf", d="2021-09-04", x="draft: true\n"))
    (releases / "2021-09-05-embargo.md").write_text(
        head.format(t="Embargo", d="2021-09-05", x="embargo_until: 2999-01-01T00:00:00+07:00\n"))
    site = build_site(tmp_path / "site", plugins=[{"newsroom": {"releases_dir": str(releases)}}])
    assert json.loads((site / "build-info.json").read_text()) == {"public": ["rilis/2021/09/terbit/"]}


def test_the_public_navigation_is_the_newsroom_and_the_footer_has_the_rest(site_dir):
    home = (site_dir / "index.html").read_text()
    nav = home[home.index('md-nav--primary'):home.index('class="md-content"')]
    for reader_page in ("rilis/", "cari/", "mitra/", "transparansi/", "langganan/", "tentang/", "kontak/", "masuk/"):
        assert f'href="{reader_page}"' in nav, reader_page
    for staff_page in ("konsol/", "mitra/portal/", "mitra/pesanan/", "referensi-api/", "panduan-editor/", "akun/"):
        assert f'href="{staff_page}' not in nav, staff_page
    footer = home[home.index('<footer class="md-footer"'):]
    for link in ("tentang/", "kontak/", "mitra/daftar/", "masuk/", "panduan-editor/", "referensi-api/"):
        assert f'href="{link}"' in footer, link
    assert "Pemerintah Kabupaten Ogan Komering Ilir" in footer and "mailto:diskominfo@example.go.id" in footer
    assert "Made with" not in home and "Material for MkDocs" not in footer
    assert 'aria-label="Header"' not in home and 'aria-label="Kepala halaman"' in home  # no English theme words
    assert "--md-primary-fg-color: #1a4d8f" in home  # the office's colours
    contact = (site_dir / "kontak" / "index.html").read_text()
    assert "Humas Diskominfo" in contact and "Pejabat Pengelola Informasi dan Dokumentasi" in contact


def test_another_office_adopts_the_newsroom_by_configuration_alone(tmp_path):
    import pytest

    from seklik.site import SiteBuildError, build_site
    from seklik.stack import ROOT

    office = {"name": "Dinas Kominfo", "government": "Pemerintah Kota Palembang", "email": "humas@palembang.example.go.id",
              "colours": {"primary": "#2E7D32", "accent": "#ff6f00"},
              "social": [{"name": "Instagram", "url": "https://www.instagram.com/kominfo.palembang.contoh/"}]}
    newsroom = {"releases_dir": str(ROOT / "content" / "releases"), "categories": ["Pemerintahan", "Kunjungan Kerja",
                "Layanan Publik", "Kesehatan", "Pengumuman"], "office": office}
    site = build_site(tmp_path / "site", plugins=[{"newsroom": newsroom}])
    home = (site / "index.html").read_text()
    assert "Pemerintah Kota Palembang" in home and "mailto:humas@palembang.example.go.id" in home
    assert "--md-primary-fg-color: #2e7d32" in home and "kominfo.palembang.contoh" in home
    assert "Ogan Komering Ilir" not in home[home.index('<footer'):]
    with pytest.raises(SiteBuildError) as caught:
        build_site(tmp_path / "bad", plugins=[{"newsroom": {**newsroom, "office": {**office, "colours": {
            "primary": "hijau"}}}}])
    said = str(caught.value)
    assert "newsroom.office.colours.primary: tulis warna sebagai #RRGGBB, misalnya #1a4d8f" in said
    assert "validation error" not in said and "pydantic" not in said  # one Indonesian line, not pydantic's dump
    with pytest.raises(SiteBuildError) as caught:
        build_site(tmp_path / "bad", plugins=[{"newsroom": {**newsroom, "contacts": [{"nama": "Humas"}]}}])
    assert "newsroom.contacts.0.name: wajib diisi" in str(caught.value)


class _Structure(HTMLParser):
    """Elements closed out of order or never opened (a stray `</div>` in a page's Markdown closes Material's own)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.open and self.open[-1] == tag:
            self.open.pop()
            return
        self.problems.append(f"line {self.getpos()[0]}: </{tag}> inside <{'><'.join(self.open[-3:])}>")
        if tag in self.open:  # carry on as a browser would: close what was left open inside it
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]


def test_every_built_page_closes_its_elements_in_order(site_dir):
    found = []
    for path in sorted(site_dir.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for stray in ("<p></section>", "<p></div>", "<p></form>"):
            if stray in html:
                found.append(f"{path.relative_to(site_dir)}: {stray}")
        parser = _Structure()
        parser.feed(html)
        parser.close()
        found += [f"{path.relative_to(site_dir)}: {p}" for p in parser.problems[:3]]
        if parser.open:
            found.append(f"{path.relative_to(site_dir)}: never closed: {parser.open}")
    assert not found, "\n".join(found)


def test_the_not_found_page_is_indonesian_and_the_offices(site_dir):
    page = (site_dir / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in page and "<h1>Halaman tidak ditemukan</h1>" in page
    assert '<title>Halaman tidak ditemukan - Seklik Diskominfo</title>' in page
    main = page[page.index('class="md-content"'):page.index('<footer')]
    assert 'href="/"' in main and 'href="/cari/"' in main  # the home page and the search, from any depth
    assert 'action="/cari/"' in main and 'name="q"' in main
    assert "--md-primary-fg-color: #1a4d8f" in page  # the office's colours
    footer = page[page.index('<footer class="md-footer"'):]
    assert "Pemerintah Kabupaten Ogan Komering Ilir" in footer and "mailto:diskominfo@example.go.id" in footer


def test_the_logo_is_not_described_twice(site_dir):
    # The logo's link is named by its aria-label (the site's name); the image itself says nothing more.
    for path in site_dir.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert 'alt="logo"' not in html, path
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert '<img src="assets/images/logo-contoh.svg" alt="">' in home


def test_an_address_that_leads_nowhere_gets_the_not_found_page(web):
    from urllib.error import HTTPError
    from urllib.request import urlopen

    with pytest.raises(HTTPError) as caught:
        urlopen(f"{web}/rilis/tidak-ada/")
    assert caught.value.code == 404
    assert "<h1>Halaman tidak ditemukan</h1>" in caught.value.read().decode("utf-8")


@pytest.fixture(scope="module")
def served_site(site_dir):
    """The repository's site alone (no API needed to look at the newsroom)."""
    from tests.e2e.conftest import static_server

    with static_server(site_dir) as origin:
        yield origin


# Each list photo as drawn: its left edge, the heading's, its drawn width and the width of the copy the browser chose.
LIST_PHOTOS = """async () => {
  const heading = document.querySelector("#terbaru, .md-content h1");
  const shown = [];
  for (const img of document.querySelectorAll("ol.seklik-entries img")) {
    img.scrollIntoView();
    await img.decode().catch(() => null);
    const copies = img.srcset.split(",").map((c) => c.trim().split(" "))
      .map(([url, w]) => ({ url: new URL(url, location.href).href, width: parseInt(w, 10) }));
    shown.push({ left: img.getBoundingClientRect().left, width: img.getBoundingClientRect().width,
      chosen: copies.find((c) => c.url === img.currentSrc).width, widest: Math.max(...copies.map((c) => c.width)),
      heading: heading.getBoundingClientRect().left, src: img.currentSrc });
  }
  return shown;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width, scale", [(375, 2), (375, 3), (1000, 1), (1600, 2), (2000, 1)])
def test_the_lists_photos_start_with_the_text_and_their_copies_are_wide_enough(browser, served_site, width, scale):
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900}, device_scale_factor=scale)
    try:
        page = context.new_page()
        for url in ("/", "/rilis/"):
            page.goto(f"{served_site}{url}")
            photos = page.evaluate(LIST_PHOTOS)
            assert photos, url
            for photo in photos:
                # Not indented by Material's list margins: the photos line up with the heading above them.
                assert abs(photo["left"] - photo["heading"]) < 1, (url, photo)
                # `sizes` told the browser the width the photo is drawn at, so its copy is not blurred.
                assert photo["chosen"] >= min(photo["widest"], photo["width"] * scale - 1), (url, photo)
    finally:
        context.close()
