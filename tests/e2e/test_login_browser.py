"""A person logs in through the login page in a real browser (Debian's chromium)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def log_in(page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_logging_in_through_the_login_page_shows_the_users_name(page, web, make_user):
    user, password = make_user(roles=("orders",), name="Siti Rahmawati")
    page.goto(f"{web}/masuk/")
    log_in(page, user.email, password)

    page.wait_for_url(f"{web}/akun/")
    expect(page.get_by_role("status").first).to_have_text("Anda masuk sebagai Siti Rahmawati.")
    expect(page.locator("[data-field=roles]")).to_have_text("Staf media order")
    # The pages of the role, now that the public navigation no longer lists them.
    places = page.locator("[data-field=places]")
    for name in ("Pesanan media", "Negosiasi tarif", "Distribusi siaran pers", "Surel keluar"):
        expect(places.get_by_role("link", name=name)).to_be_visible()
    # The session cookie is HttpOnly: page scripts cannot read it.
    assert "seklik_session" not in page.evaluate("document.cookie")

    # Signed in, the navigation's "Masuk" leads to the account and its work; signed out, back to "Masuk".
    page.goto(f"{web}/rilis/")
    navigation = page.locator(".md-nav--primary")
    expect(navigation.get_by_role("link", name="Akun saya")).to_have_attribute("href", "/akun/")
    expect(navigation.get_by_role("link", name="Masuk", exact=True)).to_have_count(0)
    page.goto(f"{web}/akun/")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{web}/masuk/")
    page.goto(f"{web}/rilis/")
    expect(page.locator(".md-nav--primary").get_by_role("link", name="Masuk", exact=True)).to_be_visible()


def test_a_wrong_password_is_explained_on_the_page(page, web, make_user):
    user, _ = make_user()
    page.goto(f"{web}/masuk/")
    log_in(page, user.email, "bukan kata sandinya")

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Email atau kata sandi salah")
    expect(summary).to_be_focused()
    assert page.url == f"{web}/masuk/"


def test_an_empty_form_names_the_fields_to_fix(page, web, services):
    page.goto(f"{web}/masuk/")
    page.get_by_role("button", name="Masuk").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Data yang dikirim tidak valid")
    expect(summary.get_by_role("link", name="Email: Wajib diisi.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")


def test_the_account_page_sends_anonymous_visitors_to_log_in_and_back(page, web, make_user):
    user, password = make_user(name="Andi Pratama")
    page.goto(f"{web}/akun/")
    page.wait_for_url(f"{web}/masuk/?next=%2Fakun%2F")
    log_in(page, user.email, password)
    page.wait_for_url(f"{web}/akun/")
    expect(page.locator("[data-field=name]")).to_have_text("Andi Pratama")

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{web}/masuk/")
    page.goto(f"{web}/akun/")
    page.wait_for_url(f"{web}/masuk/?next=%2Fakun%2F")


@pytest.mark.parametrize("trick", ["/%5Cevil.example/", "//evil.example/", "https://evil.example/", "/%5C%09/evil.example"])
def test_after_login_the_page_never_leaves_the_site(page, web, make_user, trick):
    user, password = make_user()
    page.goto(f"{web}/masuk/?next={trick}")
    log_in(page, user.email, password)
    page.wait_for_url(f"{web}/**")
    page.wait_for_load_state()
    assert page.url.startswith(web), page.url


def test_after_login_the_page_returns_to_where_the_visitor_was(page, web, make_user):
    user, password = make_user()
    page.goto(f"{web}/masuk/?next=/referensi-api/")
    log_in(page, user.email, password)
    page.wait_for_url(f"{web}/referensi-api/")


@pytest.mark.parametrize("length", ["abc", "-1"])
def test_the_local_server_refuses_a_bad_content_length(web, length):
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(web)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest("POST", "/api/v1/auth/login")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", length)
    connection.endheaders()
    assert connection.getresponse().status == 400
    connection.close()


@pytest.mark.parametrize("method, path, status, code", [
    ("QUERY", "/api/v1/health", 405, "METHOD_NOT_ALLOWED"),
    ("PROPFIND", "/api/v1/auth/login", 405, "METHOD_NOT_ALLOWED"),
    ("PROPFIND", "/api/v1/no-such-thing", 404, "NOT_FOUND"),
])
def test_an_unknown_http_method_gets_the_apis_json_error_not_an_html_page(web, method, path, status, code):
    import http.client
    import json
    from urllib.parse import urlsplit

    parts = urlsplit(web)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == status and response.getheader("Content-Type").startswith("application/json")
    assert json.loads(body)["error"]["code"] == code
    if status == 405:
        assert response.getheader("Allow")


# What each role's account page lists, in order: every page the role may use, from bersama.js's PAGES.
PLACES = {
    "orders": ["Pesanan media", "Negosiasi tarif", "Bukti tayang", "Distribusi siaran pers", "Anggaran", "Buku besar",
               "Katalog produk", "Surel keluar"],
    "finance": ["Pesanan media", "Negosiasi tarif", "Bukti tayang", "Anggaran", "Tagihan", "Pajak", "Laporan keuangan",
                "Buku besar", "Katalog produk", "Surel keluar"],
    "admin": ["Pesanan media", "Negosiasi tarif", "Bukti tayang", "Anggaran", "Tagihan", "Pajak", "Laporan keuangan",
              "Buku besar", "Katalog produk", "Surel keluar", "Pengguna dan peran"],
    "auditor": ["Tagihan", "Pajak", "Laporan keuangan", "Buku besar"],
    "verifier": ["Antrean verifikasi", "Pesanan media", "Negosiasi tarif", "Bukti tayang", "Katalog produk",
                 "Surel keluar"],
    "editor": ["Distribusi siaran pers", "Surel keluar", "Panduan editor siaran pers"],
}


@pytest.mark.parametrize("role", sorted(PLACES))
def test_the_account_page_lists_every_page_the_role_may_use(page, web, make_user, role):
    user, password = make_user(roles=(role,))
    page.goto(f"{web}/masuk/")
    log_in(page, user.email, password)
    page.wait_for_url(f"{web}/akun/")
    expect(page.locator("[data-field=places] a")).to_have_text(PLACES[role])


# What each page reads first: its gate admits exactly the staff roles the API lets read it (a partner's pages: media).
READS = {
    "mitra/portal/": ("/api/v1/media/{company_id}", "GET"),
    "mitra/pesanan/": ("/api/v1/orders", "GET"),
    "mitra/tarif/": ("/api/v1/offers/{company_id}/{year}", "GET"),
    "mitra/tagihan/": ("/api/v1/invoices", "GET"),
    "konsol/verifikasi/": ("/api/v1/verification/queue", "GET"),
    "konsol/perusahaan/": ("/api/v1/verification/{company_id}", "GET"),
    "konsol/pesanan/": ("/api/v1/orders", "GET"),
    "konsol/rincian-pesanan/": ("/api/v1/orders/{order_id}", "GET"),
    "konsol/negosiasi/": ("/api/v1/offers/{company_id}/{year}", "GET"),
    "konsol/bukti/": ("/api/v1/orders", "GET"),
    "konsol/distribusi/": ("/api/v1/recipient-lists", "GET"),
    "konsol/anggaran/": ("/api/v1/budgets/{year}", "GET"),
    "konsol/tagihan/": ("/api/v1/invoices", "GET"),
    "konsol/pajak/": ("/api/v1/taxes/outstanding", "GET"),
    "konsol/laporan/": ("/api/v1/reports/realisation/{year}", "GET"),
    "konsol/buku-besar/": ("/api/v1/ledger/journal", "GET"),
    "konsol/surel/": ("/api/v1/outbox", "GET"),
    "konsol/pengguna/": ("/api/v1/users", "GET"),
}
# The catalogue is readable by anyone signed in, its page is for the staff who plan with it; the editors' guide
# reads nothing.
NOT_FROM_THE_API = {"konsol/katalog/", "panduan-editor/"}


def test_each_pages_gate_is_the_apis_role_set_for_what_it_reads(page, web, chalice_app):
    from chalicelib.api.http import Routes

    page.goto(f"{web}/")
    pages = page.evaluate("async () => (await import('/assets/js/bersama.js')).PAGES")
    assert set(pages) == set(READS) | NOT_FROM_THE_API
    for path, route in READS.items():
        allowed = {role.value for role in Routes.declared[route]}
        expected = {"media"} if path.startswith("mitra/") else allowed - {"media"}
        assert set(pages[path]["roles"]) == expected and expected <= allowed, (path, route)
    assert set(pages["konsol/buku-besar/"]["roles"]) == {role.value for role in Routes.declared[
        ("/api/v1/exports/journal", "GET")]}  # and the journal's export


def test_a_page_for_other_roles_names_them(page, web, make_user):
    user, password = make_user(roles=("finance",))
    page.goto(f"{web}/masuk/")
    log_in(page, user.email, password)
    page.wait_for_url(f"{web}/akun/")
    page.goto(f"{web}/konsol/distribusi/")
    expect(page.locator("[data-role=page-status]")).to_have_text(
        "Halaman ini untuk editor siaran pers atau staf media order. Masuk dengan akun yang sesuai.")
