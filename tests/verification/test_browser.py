"""A verifier in a real browser: request with evidence → queue → approval with rationale → badge →
public registry entry; then a look-alike shown side by side."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ev_account

from .factories import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_verifier_walks_from_request_to_badge_to_public_registry(logged_in_page, live_server, reference_data,
                                                                    tmp_path):
    from civicshield.intake.pipeline import process_batch

    process_batch([ev_account("sen", handle="SenMariaAlvarez", display_name="Sen. María Alvarez",
                              category="politician")])
    evidence = tmp_path / "senate-roster.pdf"
    evidence.write_bytes(PDF)
    page, _ = logged_in_page("verifier")

    page.click("nav >> text=Verification")
    page.click("text=New verification request")
    page.fill("input[name=account_id]", "sen")
    page.select_option("select[name=category]", "politician")
    page.fill("input[name=official_name]", "María Alvarez")
    page.fill("input[name=office]", "State Senator, District 12")
    page.fill("input[name=website]", "https://senate.example.gov/alvarez")
    page.set_input_files("input[name=evidence]", str(evidence))
    page.click("button:has-text('Submit request')")
    expect(page.locator("[data-testid=status]")).to_have_text("pending")
    assert "senate-roster.pdf" in page.locator("[data-testid=evidence]").inner_text()
    assert "require_verification" in page.content()

    page.click("nav >> text=Verification")
    page.click("[data-testid=queue] >> text=Request")
    page.fill("textarea[name=rationale]", "Listed on the state senate roster; document signed by the clerk.")
    page.click("button:has-text('Approve and grant badge')")
    expect(page.locator("[data-testid=status]")).to_have_text("approved")
    assert page.locator("[data-testid=account-label]").inner_text() == "politician"
    assert "verification.badge" in page.locator("[data-testid=log]").inner_text()

    page.click("[data-testid=badge] >> text=public registry")
    row = page.locator("[data-testid=registry] tr[data-account=sen]")
    assert "María Alvarez" in row.inner_text() and "State Senator, District 12" in row.inner_text()

    # A look-alike now reaches the queue, and the verifier sees both accounts side by side.
    process_batch([ev_account("imp", handle="SenMariaAIvarez", display_name="Sen. Maria Alvarez")])
    page.goto(f"{live_server.url}/console/verification/")
    page.click("[data-testid=queue] >> text=Look-alike")
    expect(page.locator("[data-testid=suspect]")).to_contain_text("@SenMariaAIvarez")
    assert "@SenMariaAlvarez" in page.locator("[data-testid=official]").inner_text()
    assert "LATIN CAPITAL LETTER I" in page.locator("[data-testid=diff]").inner_text()
