"""Every served language in a real browser: the home page, the US voter-information centre and the
Transparency Center, with `lang`, `dir`, the switcher and translated headings; right-to-left and CJK
pages pass axe-core with no serious or critical violation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODES = [code for code, _ in settings.LANGUAGES]
RIGHT_TO_LEFT = {"ar", "he", "ur"}
AXE_CHECKED = {"ar", "he", "ur", "zh-hant", "ja", "ko", "hi"}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _expected(code: str) -> dict[str, str]:
    with translation.override(code):
        return {"/": translation.gettext("Skip to content"),
                "/elections/us/tx/": "Texas: " + translation.gettext("voter information"),
                "/transparency/": translation.gettext("Transparency Center")}


@pytest.mark.parametrize("code", CODES)
def test_a_language_reads_right_on_the_main_public_pages(page, live_server, reference_data, code):
    from axe_playwright_python.sync_playwright import Axe

    expected = _expected(code)
    for path, text in expected.items():
        page.goto(f"{live_server.url}{path}?lang={code}")
        html = page.locator("html")
        expect(html).to_have_attribute("lang", code)
        expect(html).to_have_attribute("dir", "rtl" if code in RIGHT_TO_LEFT else "ltr")
        switcher = page.locator("[data-testid=language-switcher] a")
        expect(switcher).to_have_count(len(CODES))
        expect(page.locator(f"[data-testid=language-switcher] a[lang={code}]")).to_have_attribute("aria-current", "true")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} in {code} scrolls sideways by {overflow}px"
        if path == "/":
            assert page.locator("a.skip").text_content().strip() == text
        else:
            expect(page.locator("h1")).to_have_text(text)
        if code != "en":
            assert text not in _expected("en").values(), f"{path} is not translated into {code}"
        if code in AXE_CHECKED and path == "/transparency/":
            results = Axe().run(page, options=WCAG_AA)
            serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
            assert not serious, results.generate_report()


def test_the_switcher_keeps_the_choice_across_pages(page, live_server, reference_data):
    page.goto(f"{live_server.url}/transparency/")
    page.locator("[data-testid=language-switcher] a[lang=ar]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("header nav a").first.click()  # home, without ?lang=
    expect(page.locator("html")).to_have_attribute("lang", "ar")
