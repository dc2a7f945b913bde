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
    "media": ("get", CASE_WORKERS, True),
}
INDEX = {"media": {"index": 0}}  # the case's first medium, a stored image


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
def test_role_reaches_only_its_urls(role, held_post, make_user, settings, tmp_path):
    from tests.security.test_output_safety import stored_png

    case = held_post("acl-1", media=[{"id": "m-1", "type": "image", "path": stored_png(settings, tmp_path)}])
    client = Client()
    client.force_login(make_user(None, role))
    for name, (method, allowed, needs_case) in EXPECTED.items():
        kwargs = {"case_id": case.pk, **INDEX.get(name, {})} if needs_case else {}
        url = reverse(f"review-console:{name}", kwargs=kwargs)
        case_url = reverse("review-console:case", kwargs={"case_id": case.pk}) if needs_case else None
        response = getattr(client, method)(url)
        assert _reached(response, name, case_url) == (role in allowed), (role, name, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(held_post):
    case = held_post("acl-2")
    client = Client()
    for name, (method, _, needs_case) in EXPECTED.items():
        kwargs = {"case_id": case.pk, **INDEX.get(name, {})} if needs_case else {}
        url = reverse(f"review-console:{name}", kwargs=kwargs)
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"], name


def test_queue_lists_only_cases_from_the_users_queues(held_post, login):
    held_post("acl-3")
    reviewer, _ = login("reviewer")
    ads, _ = login("ads_reviewer")
    assert "acl-3" in reviewer.get("/console/review/").content.decode()
    assert "acl-3" not in ads.get("/console/review/").content.decode()


def test_partner_cases_stay_out_of_the_console(login, db):
    from civicshield.review.cases import open_case

    open_case("fact_check", "content", "partner-post", partner_org="org-a", reason="partner work")
    checker, _ = login("fact_checker")
    assert "partner-post" not in checker.get("/console/review/").content.decode()


def test_queue_health_shows_depth_breaches_and_a_chart(held_post, login):
    import datetime as dt

    from civicshield.review.models import Case

    case = held_post("h-1")
    Case.objects.filter(pk=case.pk).update(due_at=case.opened_at - dt.timedelta(hours=1))
    manager, _ = login("policy_manager")
    page = manager.get("/console/review/health/").content.decode()
    assert "<svg" in page and "misinformation: 1 open" in page and "1 past SLA" in page


def test_blur_preference_is_per_user(held_post, login):
    case = held_post("w-1", media=[{"id": "m-w", "type": "image", "path": "/static/x.png"}])
    careful, _ = login("reviewer")
    relaxed, _ = login("reviewer")
    relaxed.post("/console/review/preferences/", {})  # unticked: no blur
    assert "media-list wellness" in careful.get(f"/console/review/cases/{case.pk}/").content.decode()
    assert "media-list wellness" not in relaxed.get(f"/console/review/cases/{case.pk}/").content.decode()
