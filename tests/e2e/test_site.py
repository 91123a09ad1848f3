"""The built newsroom: first page, login page, and the API reference made from openapi.yaml."""

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
