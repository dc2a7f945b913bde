"""Free text people type into the console has limits, and going over one is a clear error, not a
silently cut note or a server error."""

from __future__ import annotations

import pytest

from civicshield.decisions.models import Decision
from civicshield.review import leases, outcomes
from civicshield.review.leases import CaseError

pytestmark = pytest.mark.django_db


def test_a_reviewer_rationale_over_the_limit_is_refused_and_nothing_is_logged(held_post, make_user):
    case = held_post("limit-1", account="acct-limit")
    alice = make_user(None, "reviewer")
    leases.claim(case.pk, alice)
    before = Decision.objects.count()
    with pytest.raises(CaseError, match="the limit is 5,000"):
        outcomes.decide(case.pk, alice, "remove:review.polls_close_noon", "x" * 5_001)
    assert Decision.objects.count() == before
    rows = outcomes.decide(case.pk, alice, "remove:review.polls_close_noon", "x" * 5_000)
    assert rows[0].action == "remove"


def test_an_oversized_form_field_gets_a_400_that_names_it(login):
    client, _ = login("reviewer")
    response = client.post("/console/review/next/", {"queue": "", "note": "n" * 10_001})
    assert response.status_code == 400
    assert "'note'" in response.content.decode() and "10,000" in response.content.decode()
