"""The build adds to each page the script modules of the behaviours it shows."""

from __future__ import annotations

import pytest

from seklik.newsroom.page_scripts import behaviour_modules, with_page_scripts
from seklik.stack import ROOT

JS = ROOT / "docs" / "assets" / "js"


def test_every_page_module_is_at_most_about_three_hundred_lines_and_owns_its_behaviours():
    modules = behaviour_modules(JS)
    assert modules["orders-console"] == "pesanan.js" and modules["partner-invoices"] == "mitra-tagihan.js"
    for path in JS.glob("*.js"):
        if path.name != "seklik.js":  # the one helper module every page loads
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, path.name


def test_a_page_gets_each_of_its_modules_once_at_its_depth():
    html = '<main><div data-seklik="catalog"></div><div data-seklik="catalog"></div><p data-seklik="search"></p></main></body>'
    out = with_page_scripts(html, "konsol/katalog/", {"catalog": "katalog.js"})
    assert out.count('<script type="module" src="../../assets/js/katalog.js"></script>') == 1
    assert with_page_scripts("<p>berita</p></body>", "", {"catalog": "katalog.js"}) == "<p>berita</p></body>"


def test_a_behaviour_registered_twice_stops_the_build(tmp_path):
    (tmp_path / "a.js").write_text('register("catalog", a);\n')
    (tmp_path / "b.js").write_text('register("catalog", b);\n')
    with pytest.raises(ValueError, match="catalog"):
        behaviour_modules(tmp_path)
