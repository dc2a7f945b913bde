"""A reviewer logs in with a real browser and opens a subject page with its signals and history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ev_account, ev_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_then_open_a_subject_page(live_server, logged_in_page, ingest):
    ingest([ev_account("a1", handle="maria"),
            ev_content("p1", account_id="a1", text="Find your polling place before election day")])
    page, _ = logged_in_page("reviewer")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    page.get_by_role("link", name="content p1").click()
    page.wait_for_url("**/console/subjects/content/p1/")
    assert page.get_by_test_id("subject-text").inner_text() == "Find your polling place before election day"
    assert page.get_by_test_id("label").inner_text() == "election_info_banner"
    history = page.get_by_test_id("decisions")
    assert "civic.election_banner" in history.inner_text()
    assert "election_relevance" in page.locator("table").first.inner_text()
    assert page.get_by_role("link", name="@maria").is_visible()


def test_wrong_password_shows_an_error_and_stays_out(live_server, page, make_user):
    make_user("rita", "reviewer")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_be_visible()
    page.goto(f"{live_server.url}/console/")
    assert "/accounts/login/" in page.url
