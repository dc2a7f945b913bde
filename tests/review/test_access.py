"""Every review console URL, for every role: each role reaches exactly what it should.

The case used here sits in the misinformation queue, which only reviewers (and admins) work, so
other console roles are turned away from it even though they reach the queue page itself.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from civicshield.review.urls import console_urlpatterns
from civicshield.site.roles import ROLES

WORKERS = {"admin", "reviewer", "policy_manager", "fact_checker", "ads_reviewer", "verifier", "analyst"}
CASE_WORKERS = {"admin", "reviewer"}
EXPECTED = {  # url name -> (method, roles that reach it, needs a case)
    "queue": ("get", WORKERS, False),
    "preferences": ("get", WORKERS, False),
    "next": ("post", WORKERS, False),
    "bulk": ("post", WORKERS, False),
    "health": ("get", {"admin", "reviewer", "policy_manager", "analyst"}, False),
    "case": ("get", CASE_WORKERS, True),
    "claim": ("post", CASE_WORKERS, True),
    "release": ("post", CASE_WORKERS, True),
    "reassign": ("post", CASE_WORKERS, True),
    "escalate": ("post", CASE_WORKERS, True),
    "decide": ("post", CASE_WORKERS, True),
    "appeal": ("post", CASE_WORKERS, True),
}


def test_every_console_url_has_an_expectation():
    assert {p.name for p in console_urlpatterns} == set(EXPECTED)


def _reached(response, name: str, case_url: str | None) -> bool:
    if response.status_code in (403, 404):
        return False
    if response.status_code == 200:
        return True
    location = response.headers.get("Location", "")
    assert "/accounts/login/" not in location
    if case_url:  # case actions send refusals back to the queue, work back to the case
        return location == case_url
    return response.status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_role_reaches_only_its_urls(role, held_post, make_user):
    case = held_post("acl-1")
    client = Client()
    client.force_login(make_user(None, role))
    for name, (method, allowed, needs_case) in EXPECTED.items():
        url = reverse(f"review-console:{name}", kwargs={"case_id": case.pk} if needs_case else {})
        case_url = reverse("review-console:case", kwargs={"case_id": case.pk}) if needs_case else None
        response = getattr(client, method)(url)
        assert _reached(response, name, case_url) == (role in allowed), (role, name, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(held_post):
    case = held_post("acl-2")
    client = Client()
    for name, (method, _, needs_case) in EXPECTED.items():
        url = reverse(f"review-console:{name}", kwargs={"case_id": case.pk} if needs_case else {})
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"], name


def test_queue_lists_only_cases_from_the_users_queues(held_post, login):
    held_post("acl-3")
    reviewer, _ = login("reviewer")
    ads, _ = login("ads_reviewer")
    assert "acl-3" in reviewer.get("/console/review/").content.decode()
    assert "acl-3" not in ads.get("/console/review/").content.decode()
