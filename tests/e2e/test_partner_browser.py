"""A press company registers, uploads and submits; a verifier decides — in a real browser."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests import samples
from tests.integration.test_registration_flow import REQUIRED_SIBER, register, upload_all

pytestmark = pytest.mark.browser


def fill_profile(page, profile: dict, prefix: str = "profile") -> None:
    for key, value in profile.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            fill_profile(page, value, name)
            continue
        field = page.locator(f'[name="{name}"]')
        if field.get_attribute("type") == "checkbox":
            field.set_checked(bool(value))
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))


def log_in(page, web, email, password):
    page.goto(f"{web}/masuk/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{web}/akun/")


def test_a_company_registers_uploads_a_document_and_submits(page, web, api, tmp_path, outbox):
    data = samples.registration()
    page.goto(f"{web}/mitra/daftar/")
    page.get_by_label("Nama pengelola akun").fill(data["account"]["name"])
    page.get_by_label("Email untuk masuk").fill(data["account"]["email"])
    page.get_by_label("Kata sandi").fill(data["account"]["password"])
    fill_profile(page, {**data["profile"], "npwp": "12.345"})  # one mistake first
    page.get_by_role("button", name="Daftar").click()
    summary = page.get_by_role("alert").first
    expect(summary).to_contain_text("NPWP")
    expect(page.locator('[name="profile.npwp"]')).to_have_attribute("aria-invalid", "true")

    page.locator('[name="profile.npwp"]').fill(data["profile"]["npwp"])
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("status").filter(has_text="Periksa kotak masuk")).to_contain_text(data["account"]["email"])

    # The link in the mail makes the account; a button, so a scanner opening the link does not.
    (mail,) = [m for m in outbox() if m["To"] == data["account"]["email"]]
    link = re.search(r"https?://[^/\s]+/(mitra/aktifkan/\?token=[\w-]+)", mail.get_body(("plain",)).get_content())
    page.goto(f"{web}/{link.group(1)}")
    page.get_by_label("Kata sandi pendaftaran").fill("bukan-kata-sandi-pendaftaran")
    page.get_by_role("button", name="Aktifkan akun").click()
    expect(page.locator("#a-password-error")).to_contain_text("bukan yang diisi saat mendaftar")
    page.get_by_label("Kata sandi pendaftaran").fill(data["account"]["password"])
    page.get_by_role("button", name="Aktifkan akun").click()
    page.get_by_role("link", name="Masuk ke portal mitra").click()
    page.get_by_label("Email").fill(data["account"]["email"])
    page.get_by_label("Kata sandi").fill(data["account"]["password"])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{web}/mitra/portal/")
    expect(page.locator("[data-field=status_label]")).to_have_text("Draf (belum diajukan)")
    expect(page.get_by_role("button", name="Ajukan verifikasi")).to_be_disabled()

    # Upload the NPWP scan through the page: straight to S3, then confirmed.
    scan = tmp_path / "npwp.pdf"
    scan.write_bytes(samples.PDF)
    item = page.locator("[data-doc-type=npwp]")
    item.locator("input[type=file]").set_input_files(str(scan))
    item.get_by_role("button", name="Unggah").click()
    expect(page.locator("[data-doc-type=npwp]")).to_contain_text("Menunggu pemeriksaan — npwp.pdf")

    # A PNG passed off as a PDF is refused with the reason.
    fake = tmp_path / "akta.pdf"
    fake.write_bytes(samples.png())
    item = page.locator("[data-doc-type=akta_pendirian]")
    item.locator("input[type=file]").set_input_files(str(fake))
    item.get_by_role("button", name="Unggah").click()
    expect(item.get_by_role("alert")).to_contain_text("terbaca sebagai PNG")

    # The rest through the API as the same partner, then submit on the page.
    assert api.login(data["account"]["email"], data["account"]["password"]).status == 200
    company_id = api.get("/api/v1/auth/me").json["user"]["company_id"]
    upload_all(api, company_id, [t for t in REQUIRED_SIBER if t != "npwp"])
    page.reload()
    page.get_by_role("button", name="Ajukan verifikasi").click()
    expect(page.locator("[data-field=status_label]")).to_have_text("Diajukan, menunggu verifikasi")
    expect(page.locator("[data-doc-type=npwp] input[type=file]")).to_have_count(0)  # nothing to change now


def test_a_verifier_verifies_a_company_and_it_appears_on_the_public_list(page, web, api, make_user, outbox):
    company_id, data = register(api)
    upload_all(api, company_id)
    version = api.get(f"/api/v1/media/{company_id}").json["company"]["version"]
    assert api.post(f"/api/v1/media/{company_id}/submit", {"version": version}).status == 200

    verifier, password = make_user(roles=("verifier",), name="Vera Verifikator")
    log_in(page, web, verifier.email, password)
    page.get_by_role("link", name="Antrean verifikasi").click()  # the account page leads to the console
    page.wait_for_url(f"{web}/konsol/verifikasi/")
    page.get_by_role("link", name=data["profile"]["media_name"]).click()
    page.wait_for_url(f"{web}/konsol/perusahaan/?id={company_id}")
    expect(page.locator("[data-field=status_label]")).to_have_text("Diajukan, menunggu verifikasi")

    for doc_type in REQUIRED_SIBER:
        item = page.locator(f"[data-doc-type={doc_type}]")
        item.get_by_role("button", name="Terima").click()
        expect(page.locator(f"[data-doc-type={doc_type}]")).to_contain_text("Diterima")

    until = date.today() + timedelta(days=365)
    page.get_by_label("Terverifikasi", exact=True).check()
    page.get_by_label("Terverifikasi sampai").fill(until.isoformat())
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.locator("[data-field=status_label]")).to_contain_text("Terverifikasi sampai")
    audit = page.locator("[data-role=audit] tbody")
    expect(audit.locator("tr").first).to_contain_text("Memverifikasi perusahaan")
    expect(audit.locator("tr").first).to_contain_text("Vera Verifikator")
    assert "terverifikasi" in outbox()[-1]["Subject"]

    page.goto(f"{web}/mitra/")
    expect(page.locator("table tbody")).to_contain_text(data["profile"]["media_name"])


def test_the_verifier_sees_a_registration_that_copies_another_companys_npwp(page, web, api, chalice_app, make_user):
    from tests.cooperation import client

    first_id, first = register(client(chalice_app), 31)
    copy_id, copy = register(api, 32, npwp=samples.registration(31)["profile"]["npwp"])
    verifier, password = make_user(roles=("verifier",), name="Vera Verifikator")
    log_in(page, web, verifier.email, password)
    page.goto(f"{web}/konsol/verifikasi/")
    page.get_by_label("Status").select_option("DRAFT")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("row", name=copy["profile"]["media_name"])).to_contain_text("sama dengan perusahaan lain: NPWP")
    page.goto(f"{web}/konsol/perusahaan/?id={copy_id}")
    warning = page.locator("[data-field=clashes]")
    expect(warning).to_contain_text("NPWP")
    warning.get_by_role("link", name=first["profile"]["media_name"], exact=False).click()
    page.wait_for_url(f"{web}/konsol/perusahaan/?id={first_id}")
    expect(page.locator("[data-field=clashes]")).to_be_hidden()  # the holder itself is not marked


def test_a_company_registers_with_the_keyboard_alone(page, web, services):
    """No mouse: every box of the registration form is reached with Tab in order, filled by typing (choices with
    the arrow keys, the PKP box with Space, dates digit by digit), and the form is sent with Enter."""
    data = samples.registration(71)
    values: dict[str, object] = {}

    def flatten(prefix: str, tree: dict) -> None:
        for key, value in tree.items():
            if isinstance(value, dict):
                flatten(f"{prefix}{key}.", value)
            elif value is not None:
                values[f"{prefix}{key}"] = value

    flatten("", data)
    page.goto(f"{web}/mitra/daftar/")
    filled = set()
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
          return { name: e.name || "", tag: e.tagName, type: e.type || "", text: e.textContent || "",
                   options: e.tagName === "SELECT" ? [...e.options].map((o) => o.value) : [] }; }""")
        name = focused["name"]
        if name in values and name not in filled:
            value = values[name]
            if focused["tag"] == "SELECT":
                page.keyboard.press("Home")
                for _ in range(focused["options"].index(str(value))):
                    page.keyboard.press("ArrowDown")
            elif focused["type"] == "checkbox":
                if value:
                    page.keyboard.press("Space")
            elif focused["type"] == "date":
                year, month, day = str(value).split("-")
                page.keyboard.type(f"{day}{month}{year}")  # as the picker shows it in Indonesian: HH/BB/TTTT
            else:
                page.keyboard.type(str(value))
            filled.add(name)
        elif focused["tag"] == "BUTTON" and "Daftar" in focused["text"]:
            break
    else:
        raise AssertionError("the form's button cannot be reached with Tab")
    assert filled == set(values), f"not reached with Tab: {sorted(set(values) - filled)}"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Periksa kotak masuk")).to_contain_text(data["account"]["email"])
