"""A reader subscribes to the newsroom's releases from "Langganan", confirms from the mail, and leaves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def mail_link(outbox, to: str, page: str) -> str:
    (mail,) = [m for m in outbox() if m["To"] == to][-1:]
    text = mail.get_body(("plain",)).get_content()
    (path,) = re.findall(rf"https?://[^/\s]+/(langganan/{page}/\?token=[A-Za-z0-9_-]+)", text)
    return path


def test_a_reader_subscribes_confirms_and_unsubscribes_in_the_browser(page, web, published, outbox):
    page.goto(f"{web}/langganan/")
    form = page.locator("[data-seklik=subscribe] form")
    page.get_by_label("Alamat surel").fill("bukan alamat")
    page.get_by_role("button", name="Berlangganan").click()
    expect(page.locator("#s-email-error")).to_be_visible()  # said at the field, nothing sent
    assert not outbox()

    page.get_by_label("Alamat surel").fill("pembaca@example.com")
    page.get_by_label("Kesehatan").check()
    page.get_by_label("Ringkasan harian").check()
    page.get_by_role("button", name="Berlangganan").click()
    expect(form.locator(".seklik-status")).to_contain_text("Periksa kotak masuk")

    page.goto(f"{web}/{mail_link(outbox, 'pembaca@example.com', 'konfirmasi')}")
    page.get_by_role("button", name="Mulai berlangganan").click()  # a button: a link scanner confirms nothing
    expect(page.locator("[data-seklik=subscription-confirm] .seklik-status")).to_contain_text(
        "Langganan aktif: Kesehatan, ringkasan harian")

    subscribe_again = page.context.new_page()  # the reader forgot, and subscribes again: told by mail, not on screen
    subscribe_again.goto(f"{web}/langganan/")
    subscribe_again.get_by_label("Alamat surel").fill("pembaca@example.com")
    subscribe_again.get_by_role("button", name="Berlangganan").click()
    expect(subscribe_again.locator(".seklik-status")).to_contain_text("Periksa kotak masuk")

    page.goto(f"{web}/{mail_link(outbox, 'pembaca@example.com', 'berhenti')}")
    page.get_by_role("button", name="Berhenti berlangganan").click()
    expect(page.locator("[data-seklik=unsubscribe] .seklik-status")).to_contain_text("tidak lagi berlangganan")

    page.goto(f"{web}/langganan/berhenti/")  # the link cut short
    expect(page.locator("[data-seklik=unsubscribe] .seklik-status")).to_contain_text("tidak lengkap")
