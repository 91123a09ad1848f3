"""An administrator manages accounts and roles on the console's "Pengguna dan peran" page: adds a staff account
and hands over its one-time password, disables and enables an account, resets another's password; never its own."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import count_items
from tests.cooperation import client
from tests.e2e.test_partner_browser import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def admin(page, web, make_user):
    """An administrator on the page, reached from the account page's list of places."""
    user, password = make_user(roles=("admin",), name="Ahmad Admin", email="admin@diskominfo.example.go.id")
    log_in(page, web, user.email, password)
    page.get_by_role("link", name="Pengguna dan peran").click()
    page.wait_for_url(f"{web}/konsol/pengguna/")
    expect(page.locator("[data-role=list-status]")).to_contain_text("1 akun: 1 staf dan 0 mitra media")
    return user


def account_row(page, email):
    return page.locator("[data-field=users] tr").filter(has_text=email)


def test_an_admin_adds_a_staff_account_and_the_person_signs_in_with_its_one_time_password(page, web, browser, admin):
    page.get_by_text("Tambah akun staf", exact=True).click()
    page.get_by_label("Nama").fill("Sari Wulandari")
    page.get_by_label("Email").fill("Sari@Diskominfo.example.go.id")
    page.get_by_label("Staf media order").check()
    page.get_by_label("Staf keuangan").check()
    page.get_by_role("button", name="Buat akun").click()

    secret = page.locator("[data-role=secret]")
    heading = secret.get_by_role("heading", name="Kata sandi awal untuk Sari Wulandari (sari@diskominfo.example.go.id)")
    expect(heading).to_be_focused()  # a screen reader lands on it
    expect(secret).to_contain_text("hanya ditampilkan sekali")
    expect(secret).to_contain_text("saluran yang aman")
    expect(secret.get_by_role("link", name="Akun saya")).to_have_attribute("href", "../../akun/#ganti-kata-sandi")
    password = secret.locator("[data-field=password]").text_content()
    assert len(password) >= 12
    expect(page.locator("[data-role=list-status]")).to_contain_text(
        "Akun Sari Wulandari dibuat dengan peran Staf media order, Staf keuangan.")
    row = account_row(page, "sari@diskominfo.example.go.id")
    expect(row.locator("th")).to_have_text("Sari Wulandari")
    expect(row.locator("td").nth(0)).to_have_text("sari@diskominfo.example.go.id")
    expect(row.locator("td").nth(1)).to_have_text("Staf media order, Staf keuangan")
    expect(row.locator("td").nth(2)).to_have_text("Aktif")
    expect(row.get_by_role("button")).to_have_text(["Nonaktifkan", "Atur ulang kata sandi"])

    # Handed over, it is hidden: nothing left on the page to read later.
    secret.get_by_role("button", name="Sudah diserahkan, sembunyikan").click()
    expect(secret).to_be_hidden()
    assert secret.locator("[data-field=password]").text_content() == ""

    person = browser.new_context(locale="id-ID").new_page()
    log_in(person, web, "sari@diskominfo.example.go.id", password)
    expect(person.locator("[data-field=roles]")).to_have_text("Staf media order, Staf keuangan")
    expect(person.locator("[data-field=places]").get_by_role("link", name="Anggaran")).to_be_visible()
    person.context.close()


def test_a_bad_email_and_no_role_are_refused_at_their_fields_and_nothing_is_created(page, admin, table_name):
    before = count_items(table_name)
    page.get_by_text("Tambah akun staf", exact=True).click()
    page.get_by_label("Nama").fill("Tanpa Peran")
    page.get_by_label("Email").fill("bukan-alamat-email")
    page.get_by_role("button", name="Buat akun").click()

    summary = page.locator("[data-role=create-form] .seklik-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Email: Alamat email tidak valid")).to_be_visible()
    expect(summary.get_by_role("link", name="Peran: Pilih paling sedikit satu peran.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#u-email-error")).to_have_text("Alamat email tidak valid. Contoh yang benar: nama@contoh.go.id.")
    expect(page.locator("#u-role-verifier-error")).to_have_text("Pilih paling sedikit satu peran.")

    # The API judges what the page cannot know: an address that already has an account, said at its field.
    page.get_by_label("Email").fill(admin.email.upper())
    page.get_by_label("Pemeriksa (auditor)").check()
    page.get_by_role("button", name="Buat akun").click()
    expect(page.locator("#u-email-error")).to_contain_text("sudah terdaftar")
    expect(page.locator("#u-role-verifier-error")).to_be_hidden()
    expect(page.locator("[data-role=secret]")).to_be_hidden()
    assert count_items(table_name) == before
    expect(page.locator("[data-field=users] tr")).to_have_count(1)


def test_an_admin_disables_an_account_whose_session_stops_at_once_then_enables_it(page, web, browser, admin, make_user):
    user, password = make_user(roles=("verifier",), name="Vera Verifikator", email="vera@diskominfo.example.go.id")
    person = browser.new_context(locale="id-ID").new_page()
    log_in(person, web, user.email, password)
    me = f"{web}/api/v1/auth/me"
    assert person.request.get(me).status == 200
    page.reload()
    row = account_row(page, user.email)

    # Changing one's mind: nothing happens, and the keyboard is back where it was.
    row.get_by_role("button", name="Nonaktifkan").click()
    confirm = page.locator("[data-role=confirm]")
    expect(confirm.get_by_role("heading")).to_have_text("Nonaktifkan akun Vera Verifikator (vera@diskominfo.example.go.id)?")
    expect(confirm.get_by_role("heading")).to_be_focused()
    expect(confirm).to_contain_text("semua sesinya berakhir saat ini juga")
    confirm.get_by_role("button", name="Batal").click()
    expect(confirm).to_be_hidden()
    expect(row.get_by_role("button", name="Nonaktifkan")).to_be_focused()
    assert person.request.get(me).status == 200

    row.get_by_role("button", name="Nonaktifkan").click()
    confirm.get_by_role("button", name="Ya, nonaktifkan akun").click()  # no reason yet
    expect(page.locator("#u-reason-error")).to_have_text("Tuliskan alasannya.")
    confirm.get_by_label("Alasan").fill("Pindah tugas ke dinas lain")
    confirm.get_by_role("button", name="Ya, nonaktifkan akun").click()
    expect(page.locator("[data-role=list-status]")).to_have_text(
        "Akun Vera Verifikator dinonaktifkan; semua sesinya sudah berakhir.")
    expect(confirm).to_be_hidden()
    expect(row.locator("td").nth(2)).to_have_text("Nonaktif")
    expect(row.get_by_role("button", name="Aktifkan kembali")).to_be_focused()
    assert person.request.get(me).status == 401  # the session it had stopped at once

    row.get_by_role("button", name="Aktifkan kembali").click()
    expect(confirm).to_contain_text("Sesi yang berakhir saat akun dinonaktifkan tidak hidup kembali")
    confirm.get_by_label("Alasan").fill("Kembali bertugas")
    confirm.get_by_role("button", name="Ya, aktifkan kembali").click()
    expect(row.locator("td").nth(2)).to_have_text("Aktif")
    assert person.request.get(me).status == 401  # enabling does not revive the old session
    log_in(person, web, user.email, password)  # the same password signs in again
    assert person.request.get(me).status == 200
    person.context.close()


def test_an_admin_resets_a_password_and_only_the_new_one_works(page, admin, make_user, chalice_app):
    user, old_password = make_user(roles=("editor",), name="Edi Editor", email="edi@diskominfo.example.go.id")
    page.reload()
    account_row(page, user.email).get_by_role("button", name="Atur ulang kata sandi").click()
    confirm = page.locator("[data-role=confirm]")
    expect(confirm).to_contain_text("Kata sandi lama langsung tidak berlaku")
    expect(confirm.get_by_label("Alasan")).to_be_hidden()  # a reset takes no reason
    confirm.get_by_role("button", name="Ya, atur ulang kata sandi").click()

    secret = page.locator("[data-role=secret]")
    expect(secret.get_by_role("heading", name="Kata sandi baru untuk Edi Editor (edi@diskominfo.example.go.id)")).to_be_focused()
    new_password = secret.locator("[data-field=password]").text_content()
    assert new_password and new_password != old_password
    assert client(chalice_app).login(user.email, old_password).status == 401
    assert client(chalice_app).login(user.email, new_password).status == 200


def test_the_admins_own_row_offers_neither_action_and_points_to_the_account_page(page, web, admin):
    own = account_row(page, admin.email)
    expect(own.get_by_role("button")).to_have_count(0)
    expect(own).to_contain_text("Akun Anda sendiri: gunakan Ganti kata sandi di halaman Akun saya.")
    own.get_by_role("link", name="Ganti kata sandi").click()
    page.wait_for_url(f"{web}/akun/#ganti-kata-sandi")
    expect(page.get_by_label("Kata sandi saat ini")).to_be_visible()


def test_a_non_admin_is_told_the_page_is_for_administrators(page, web, make_user):
    user, password = make_user(roles=("finance",), name="Fina Keuangan")
    log_in(page, web, user.email, password)
    expect(page.locator("[data-field=places]").get_by_role("link", name="Pengguna dan peran")).to_have_count(0)
    page.goto(f"{web}/konsol/pengguna/")
    expect(page.locator("[data-role=page-status]")).to_have_text(
        "Halaman ini untuk administrator. Masuk dengan akun yang sesuai.")
    expect(page.locator("[data-role=accounts]")).to_be_hidden()
    expect(page.locator("[data-role=create]")).to_be_hidden()
