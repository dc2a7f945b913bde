"""A reviewer, a senior and an appeals reviewer at work in a real browser, checked in the decision log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civicshield.decisions.models import Decision
from civicshield.review.models import Case

pytestmark = pytest.mark.browser


def test_reviewer_claims_the_next_case_and_removes_it_with_the_keyboard(held_post, logged_in_page, live_server,
                                                                        settings, tmp_path):
    from tests.security.test_output_safety import stored_png

    held_post("br-1", account="acct-br", media=[{"id": "m-1", "type": "image", "path": stored_png(settings, tmp_path)}])
    page, reviewer = logged_in_page("reviewer")
    page.goto(f"{live_server.url}/console/review/")
    page.keyboard.press("n")  # next case: claims the most urgent one
    page.wait_for_url(re.compile(r".*/console/review/cases/\d+/$"))
    assert "You hold this case" in page.get_by_test_id("claim-state").inner_text()
    assert "severity" in page.get_by_test_id("priority").inner_text()
    image = page.locator("figure.media img")
    assert "blur" in image.evaluate("el => getComputedStyle(el).filter")  # wellness: blurred until revealed
    page.keyboard.press("v")
    expect(page.locator("figure.media")).to_have_class(re.compile("revealed"))
    assert image.evaluate("el => getComputedStyle(el).filter") == "none"
    page.keyboard.press("w")
    page.keyboard.type("States a false closing time for the polls")
    page.keyboard.press("Escape")
    page.keyboard.press("3")  # allow, label, remove, public interest: remove is the third button
    page.wait_for_selector("text=Decided:")
    assert page.get_by_test_id("case-status").inner_text() == "decided"
    row = Decision.objects.get(subject_key="content:br-1", action="remove")
    assert row.actor_type == "user" and row.actor_id == reviewer.username
    assert row.explanation == "States a false closing time for the polls"


def test_public_interest_button_asks_for_a_rationale_first(held_post, logged_in_page, live_server):
    case = held_post("br-pi")
    page, _ = logged_in_page("reviewer")
    page.goto(f"{live_server.url}/console/review/cases/{case.pk}/")
    page.get_by_test_id("claim").click()
    page.get_by_role("button", name=re.compile("Public-interest exception")).click()
    assert page.evaluate("document.activeElement.name") == "rationale"
    assert not Decision.objects.filter(subject_key="content:br-pi", actor_type="user").exists()


def test_senior_decides_an_escalated_case(held_post, logged_in_page, second_page, make_user, live_server):
    case = held_post("br-2")
    page, reviewer = logged_in_page("reviewer")
    page.goto(f"{live_server.url}/console/review/cases/{case.pk}/")
    page.get_by_test_id("claim").click()
    page.fill("#note", "Quote from a candidate; needs a senior call")
    page.get_by_test_id("escalate").click()
    page.wait_for_selector("text=Escalated to misinformation_senior")  # and off the reviewer's desk
    assert page.url == f"{live_server.url}/console/review/"

    senior = second_page(make_user(None, "policy_manager"))
    senior.goto(f"{live_server.url}/console/review/?queue=misinformation_senior")
    senior.get_by_test_id("next-case").click()
    senior.wait_for_url(f"{live_server.url}/console/review/cases/{case.pk}/")
    assert "needs a senior call" in senior.content()
    senior.fill("#rationale", "Newsworthy statement by a candidate")
    senior.get_by_role("button", name=re.compile("Public-interest exception")).click()
    senior.wait_for_selector("text=Decided:")
    row = Decision.objects.get(subject_key="content:br-2", actor_type="user")
    assert row.labels == ["public_interest_exception"] and row.actor_id != reviewer.username
    assert Case.objects.get(pk=case.pk).queue == "misinformation_senior"


def test_appeal_is_decided_by_a_second_reviewer(held_post, ingest, logged_in_page, second_page, make_user,
                                                live_server):
    case = held_post("br-3", account="acct-br3")
    page, first = logged_in_page("reviewer")
    page.goto(f"{live_server.url}/console/review/cases/{case.pk}/")
    page.get_by_test_id("claim").click()
    page.fill("#rationale", "False closing time")
    page.get_by_role("button", name=re.compile(r"^Remove")).click()
    page.wait_for_selector("text=Decided:")
    removal = Decision.objects.get(subject_key="content:br-3", action="remove")

    ingest([{"id": "br-appeal", "type": "appeal.filed", "occurred_at": "2026-10-21T10:00:00Z",
             "appeal": {"subject": {"type": "content", "id": "br-3"}, "reason": "not_false",
                        "decision_id": removal.seq, "text": "The county moved the closing time"}}])
    appeal = Case.objects.get(kind="appeal", subject_key="content:br-3")
    page.goto(f"{live_server.url}/console/review/cases/{appeal.pk}/")
    assert "different reviewer" in page.get_by_test_id("blocked").inner_text()

    other = second_page(make_user(None, "reviewer"))
    other.goto(f"{live_server.url}/console/review/cases/{appeal.pk}/")
    other.get_by_test_id("claim").click()
    other.fill("#rationale", "County notice confirms the change")
    other.get_by_role("button", name=re.compile("Grant")).click()
    other.wait_for_selector("text=Appeal granted")
    lift = Decision.objects.get(subject_key="content:br-3", effect="lift")
    assert lift.supersedes_id == removal.seq and lift.actor_id not in ("", first.username)
    other.goto(f"{live_server.url}/console/subjects/content/br-3/")
    assert other.get_by_test_id("visibility").inner_text() == "visible"
