"""Review fixtures: the default policy set plus one test rule that holds posts for a person."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.conftest import ev_account, ev_content

DEFAULT_POLICY = Path(__file__).resolve().parents[2] / "src" / "civicshield" / "policies" / "default"
TEST_RULES = """
rules:
  - id: review.polls_close_noon
    area: election_misinformation
    applies_to: [content]
    when: subject.text.contains("polls close at noon")
    actions: [hold_for_review]
    labels: [unverified_content]
    queue: misinformation
    explanation: Claims a false closing time for the polls.
    text: Content that misstates when, where or how to vote is removed when it is false.
"""
HOLD_TEXT = "Breaking: polls close at noon tomorrow, don't be late"


@pytest.fixture
def review_policy(tmp_path: Path, settings: Any, db: Any) -> Any:
    """Use the default policy set with the test rule added; returns the loaded policy."""
    from civicshield.intake import context

    target = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY, target)
    (target / "review_test.yaml").write_text(TEST_RULES)
    settings.CIVICSHIELD = {**settings.CIVICSHIELD, "POLICY_DIR": str(target)}
    context.reset()
    yield context.current().policy
    context.reset()


@pytest.fixture
def ingest(db: Any) -> Callable[..., Any]:
    """The real pipeline; review tests need the role groups, not the other apps' reference data."""
    from civicshield.intake.pipeline import process_batch
    from civicshield.site.roles import ensure_roles

    ensure_roles()
    return lambda events, **kwargs: process_batch(events, **kwargs)


@pytest.fixture
def held_post(ingest: Callable[..., Any], review_policy: Any) -> Callable[..., Any]:
    """Ingest an account and a post the test rule holds for review; returns the open case."""
    from civicshield.review.models import Case

    def make(post_id: str, *, account: str = "acct-r", category: str = "regular", views: int = 1000,
             language: str | None = None, text: str = HOLD_TEXT, **fields: Any) -> Any:
        extra = {"language": language} if language else {}
        result = ingest([ev_account(account, category=category),
                         ev_content(post_id, account_id=account, text=text, views=views, **extra, **fields)])
        assert not result.errors, result.errors
        return Case.objects.filter(subject_key=f"content:{post_id}").order_by("-id").first()

    return make


@pytest.fixture
def login(client: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """A fresh Django test client logged in as a new user with `roles`; returns (client, user)."""
    from django.test import Client

    def make(*roles: str) -> Any:
        user = make_user(None, *roles)
        c = Client()
        c.force_login(user)
        return c, user

    return make


@pytest.fixture
def second_page(browser: Any, live_server: Any) -> Any:
    """Another browser context (a second person at another desk); call it with a user to log them in."""
    contexts = []

    def open_as(user: Any) -> Any:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "correct-horse-battery")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/console/**")
        return page

    yield open_as
    for context in contexts:
        context.close()
