"""What a person notices in a real browser: a locked admin login, a partner's scoped console, and a case
whose off-site media never load."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ev_account, ev_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guessing_the_admin_password_locks_the_admin_login(live_server, page, make_user):
    make_user("boss", "admin", is_staff=True, is_superuser=True)
    for _ in range(10):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "boss")
        page.fill("#id_password", "not-the-password")
        page.click("input[type=submit]")
        expect(page.locator(".errornote")).to_be_visible()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/login/" in page.url


def test_a_partner_fact_checker_sees_only_its_own_case_in_the_console(live_server, logged_in_page, ingest):
    from civicshield.factchecks.models import PartnerOrganisation
    from civicshield.review.cases import open_case

    ingest([ev_account("acct-p"), ev_content("ours-1", account_id="acct-p", text="Ballots counted late"),
            ev_content("theirs-1", account_id="acct-p", text="Another organisation's work")])
    org = PartnerOrganisation.objects.create(slug="checkers-us", name="Checkers US")
    PartnerOrganisation.objects.create(slug="other-org", name="Other")
    open_case("fact_check", "content", "ours-1", partner_org="checkers-us", reason="ours")
    open_case("fact_check", "content", "theirs-1", partner_org="other-org", reason="theirs")
    page, user = logged_in_page("fact_checker")
    org.members.add(user)
    page.goto(f"{live_server.url}/console/")
    expect(page.get_by_test_id("scope")).to_be_visible()
    page.get_by_role("link", name="Subjects").click()
    expect(page.get_by_role("link", name="ours-1")).to_be_visible()
    expect(page.get_by_role("link", name="theirs-1")).to_have_count(0)
    page.get_by_role("link", name="ours-1").click()
    expect(page.get_by_test_id("subject-text")).to_have_text("Ballots counted late")


def test_a_user_without_a_role_is_told_so(live_server, logged_in_page, ingest):
    ingest([ev_account("acct-q"), ev_content("secret-1", account_id="acct-q", text="Nothing for you")])
    page, _ = logged_in_page()
    expect(page.get_by_test_id("no-access")).to_be_visible()
    expect(page.get_by_role("link", name="Subjects")).to_have_count(0)
    assert "secret-1" not in page.content()


def test_off_site_media_on_a_case_never_load(live_server, logged_in_page, ingest, settings, tmp_path):
    from civicshield.review.cases import open_case
    from tests.security.test_output_safety import stored_png

    media = [{"id": "m-off", "type": "image", "path": "https://evil.example/pixel.png"},
             {"id": "m-ok", "type": "image", "path": stored_png(settings, tmp_path)}]
    ingest([ev_account("acct-m"), ev_content("post-m", account_id="acct-m", text="see picture", media=media)])
    case = open_case("misinformation", "content", "post-m", reason="media")
    page, _ = logged_in_page("reviewer")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/console/review/cases/{case.pk}/")
    expect(page.get_by_test_id("media-text")).to_contain_text("https://evil.example/pixel.png")
    image = page.locator("figure.media img")
    expect(image).to_have_count(1)
    page.wait_for_function("document.querySelector('figure.media img').complete")
    assert image.evaluate("img => img.naturalWidth") == 1
    assert not [url for url in requested if "evil.example" in url]
