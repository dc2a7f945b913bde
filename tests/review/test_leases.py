"""Two reviewers never hold the same case; an expired lease frees it; release, reassign, escalate."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from civicshield.review import leases
from civicshield.review.leases import CaseError
from civicshield.review.models import Case


def test_second_session_cannot_claim_and_is_told_who_holds_it(held_post, login):
    case = held_post("l-1")
    alice_client, alice = login("reviewer")
    bob_client, bob = login("reviewer")
    alice_client.post(f"/console/review/cases/{case.pk}/claim/")
    page = bob_client.post(f"/console/review/cases/{case.pk}/claim/", follow=True).content.decode()
    assert f"claimed by {alice.username}" in page
    case.refresh_from_db()
    assert case.claimed_by == alice and case.status == "claimed"


def test_expired_lease_frees_the_case(held_post, make_user):
    case = held_post("l-2")
    alice, bob = make_user(None, "reviewer"), make_user(None, "reviewer")
    start = timezone.now()
    leases.claim(case.pk, alice, now=start)
    with pytest.raises(CaseError):
        leases.claim(case.pk, bob, now=start + dt.timedelta(minutes=5))
    later = start + dt.timedelta(minutes=16)
    assert leases.claim(case.pk, bob, now=later).claimed_by == bob
    with pytest.raises(CaseError):  # alice's lease is gone: she cannot decide or renew over bob
        leases.claim(case.pk, alice, now=later)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_only_one_wins(make_user):
    from civicshield.review.cases import open_case

    case = open_case("misinformation", "content", "race-1", severity=5, sla_hours=4)
    users = [make_user(None, "reviewer") for _ in range(6)]
    barrier = threading.Barrier(len(users))
    won, lost = [], []

    def attempt(user):
        try:
            barrier.wait()
            leases.claim(case.pk, user)
            won.append(user)
        except CaseError:
            lost.append(user)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and len(lost) == len(users) - 1
    assert Case.objects.get(pk=case.pk).claimed_by_id == won[0].pk


def test_next_case_takes_the_most_urgent_claimable(held_post, make_user):
    small = held_post("l-small", views=10)
    big = held_post("l-big", views=1_000_000)
    alice, bob = make_user(None, "reviewer"), make_user(None, "reviewer")
    assert leases.next_case(alice).pk == big.pk
    assert leases.next_case(bob).pk == small.pk
    assert leases.next_case(make_user(None, "reviewer")) is None


def test_roles_without_the_queue_cannot_claim(held_post, make_user):
    case = held_post("l-3")
    with pytest.raises(CaseError, match="does not work the misinformation queue"):
        leases.claim(case.pk, make_user(None, "ads_reviewer"))


def test_release_reassign_and_escalate(held_post, make_user):
    case = held_post("l-4")
    alice, bob, carol = (make_user(None, "reviewer") for _ in range(3))
    leases.claim(case.pk, alice)
    leases.release(case.pk, alice)
    assert Case.objects.get(pk=case.pk).status == "open"
    leases.claim(case.pk, alice)
    with pytest.raises(CaseError):
        leases.reassign(case.pk, bob, carol)  # only the holder (or a policy manager) hands it on
    assert leases.reassign(case.pk, alice, bob).claimed_by == bob
    with pytest.raises(CaseError, match="say why"):
        leases.escalate(case.pk, bob, "  ")
    escalated = leases.escalate(case.pk, bob, "Candidate statement, needs a senior call")
    assert escalated.queue == "misinformation_senior" and escalated.status == "open"
    assert escalated.details["escalated_from"] == "misinformation"
    with pytest.raises(CaseError):  # reviewers do not work the senior queue
        leases.claim(case.pk, carol)
    assert leases.claim(case.pk, make_user(None, "policy_manager")).queue == "misinformation_senior"
    assert [e.what for e in escalated.entries.all()] == ["opened", "claimed", "released", "claimed", "reassigned",
                                                          "escalated", "claimed"]
