"""The retroactive sweep: verdicts reach posts stored before the fact-check existed."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from civicshield.decisions.state import subject_state
from civicshield.factchecks.claimreview import read_claimreviews
from civicshield.factchecks.models import FactCheck
from civicshield.factchecks.store import add_revision, save_records

from ..conftest import ev_account, ev_content
from .conftest import review

CLAIM = "Voting machines in Maricopa County deleted 30,000 ballots on election night."
COPIES = [
    "BREAKING: voting machines in Maricopa County deleted 30,000 ballots on election night!!",
    "So the voting machines in Maricopa county deleted thirty thousand ballots on election night? Share before they delete this",
    "Maricopa County voting machines deleted 30,000 ballots on election night, the media is silent",
]


@pytest.fixture
def stored_posts(ingest: Callable[..., Any]) -> list[str]:
    posts = [ev_content(f"copy-{i}", account_id="acct-1", text=text) for i, text in enumerate(COPIES)]
    posts.append(ev_content("unrelated", account_id="acct-1", text="Our bake sale raised money for the library!"))
    result = ingest([ev_account("acct-1"), *posts])
    assert result.accepted == 5
    return [p["content"]["id"] for p in posts]


@pytest.mark.django_db(transaction=True)
def test_a_fact_check_added_after_three_matching_posts_labels_all_three(stored_posts: list[str]) -> None:
    assert all("fact_checked_false" not in subject_state("content", p).labels for p in stored_posts)
    records, _ = read_claimreviews(review(CLAIM, "False"))
    save_records(records, "claimreview")
    for post in stored_posts[:3]:
        state = subject_state("content", post)
        assert "fact_checked_false" in state.labels, post
        assert state.visibility == "removed"
    assert "fact_checked_false" not in subject_state("content", "unrelated").labels


@pytest.mark.django_db(transaction=True)
def test_a_verdict_revised_to_true_withdraws_the_labels(stored_posts: list[str]) -> None:
    # What the posts looked like before any fact-check: the revision must bring exactly that back (a
    # copy another detector restricted on its own stays restricted; the fact-check's part is lifted).
    before = {p: subject_state("content", p).visibility for p in stored_posts[:3]}
    assert "visible" in before.values()
    records, _ = read_claimreviews(review(CLAIM, "False"))
    result = save_records(records, "claimreview")
    assert all("fact_checked_false" in subject_state("content", p).labels for p in stored_posts[:3])
    assert all(subject_state("content", p).visibility == "removed" for p in stored_posts[:3])
    add_revision(FactCheck.objects.get(pk=result.created[0]), "true", rating_text="Correct after all")
    for post in stored_posts[:3]:
        state = subject_state("content", post)
        assert "fact_checked_false" not in state.labels
        assert state.visibility == before[post]
    assert FactCheck.objects.get().revisions.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_unverifiable_verdict_labels_and_warns_before_sharing(stored_posts: list[str]) -> None:
    records, _ = read_claimreviews(review(CLAIM, "Unproven"))
    save_records(records, "claimreview")
    state = subject_state("content", stored_posts[0])
    assert "unverified_content" in state.labels
    assert {"restrict_recommendation", "share_warning"} <= set(state.restrictions)


@pytest.mark.django_db(transaction=True)
def test_a_new_post_repeating_a_known_claim_is_labelled_at_upload(ingest: Callable[..., Any]) -> None:
    records, _ = read_claimreviews(review(CLAIM, "False"))
    save_records(records, "claimreview")
    ingest([ev_account("acct-2"), ev_content("late-copy", account_id="acct-2", text=COPIES[0])])
    assert "fact_checked_false" in subject_state("content", "late-copy").labels
