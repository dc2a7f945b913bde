"""The Election Center in a real browser: English and Spanish, desktop and phone, keyboard, and axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"calendar": "/elections/", "states": "/elections/us/", "state": "/elections/us/tx/"}
HEADINGS = {
    ("calendar", "en"): "Election calendar",
    ("calendar", "es"): "Calendario electoral",
    ("states", "en"): "United States: voter information",
    ("states", "es"): "Estados Unidos: información para votantes",
    ("state", "en"): "Texas: voter information",
    ("state", "es"): "Texas: información para votantes",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", PAGES)
def test_page_reads_well_and_passes_axe(page, live_server, reference_data, name, lang, viewport):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(f"{live_server.url}{PAGES[name]}?lang={lang}")
    assert page.locator("h1").inner_text() == HEADINGS[(name, lang)]
    assert page.locator(f"html[lang={lang}]").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px at {viewport} width"
    results = Axe().run(page, options=WCAG_AA)
    assert results.response["passes"], "axe-core did not run any check"
    assert results.violations_count == 0, results.generate_report()


def test_keyboard_reaches_a_state_from_the_picker(page, live_server, reference_data):
    page.goto(f"{live_server.url}/elections/us/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
    texas = page.locator("ul.states a", has_text="Texas")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == "Texas":
            break
    assert texas.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/elections/us/tx/**")
    assert "Online registration" in page.locator("#fact-online_registration").inner_text()
    assert "Last verified" in page.locator("#fact-online_registration").inner_text()


def test_language_switch_link(page, live_server, reference_data):
    page.goto(f"{live_server.url}/elections/us/ca/")
    page.locator("[data-testid=language-switcher] a[lang=es]").click()
    expect(page.locator("h1")).to_have_text("California: información para votantes")
    # the choice is remembered: the next page, reached without ?lang=, is in Spanish too
    page.locator(".center-nav a").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_state_page_with_feed_data_on_a_phone(page, live_server, reference_data, tmp_path, lang):
    from axe_playwright_python.sync_playwright import Axe

    from civicshield.elections.importing import store_vip
    from civicshield.elections.vip import parse_feed, read_feed_bytes

    from .vip_feeds import write_feed

    raw = read_feed_bytes(write_feed(tmp_path, "6.0", polling_locations=5, early_sites=2))
    store_vip(parse_feed(raw), raw)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{live_server.url}/elections/us/tx/?lang={lang}")
    assert page.locator("ul.locations li").count() >= 8
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
