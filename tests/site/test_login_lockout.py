"""Password guessing is refused on every sign-in page, counting failures only, per account and per
address, and an administrator can unlock a locked account."""

from __future__ import annotations

import pytest
from django.test import Client
from typer.testing import CliRunner

from civicshield.cli import app

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Dozens of sign-ins per test: a fast hasher keeps them quick (the lockout does not depend on it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client: Client, username: str, password: str, path: str = "/accounts/login/", address: str = "10.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_admin_login_is_throttled_like_the_console_login(client, make_user):
    make_user("boss", "admin", is_staff=True, is_superuser=True)
    for _ in range(10):
        assert _login(client, "boss", "wrong", path="/admin/login/").status_code == 200
    blocked = _login(client, "boss", PASSWORD, path="/admin/login/")
    assert blocked.status_code == 429 and b"Too many failed sign-ins" in blocked.content
    assert not client.session.get("_auth_user_id")


def test_successful_sign_ins_are_never_counted(client, make_user):
    make_user("rev", "reviewer")
    for _ in range(30):
        response = _login(Client(), "rev", PASSWORD)
        assert response.status_code == 302 and "/console/" in response["Location"]


def test_guessing_made_up_names_from_one_address_does_not_lock_out_a_colleague_at_another(client, make_user):
    make_user("admin-user", "admin", is_staff=True, is_superuser=True)
    for n in range(60):
        _login(client, f"made-up-{n}", "wrong", address="203.0.113.9")
    assert _login(client, f"made-up-{n}", "wrong", address="203.0.113.9").status_code == 429
    assert _login(Client(), "admin-user", PASSWORD, address="198.51.100.4").status_code == 302


def test_a_team_behind_one_proxy_survives_one_colleagues_typos(make_user):
    make_user("clumsy", "reviewer")
    make_user("careful", "reviewer")
    for _ in range(12):
        _login(Client(), "clumsy", "typo", address="192.0.2.1")
    assert _login(Client(), "clumsy", PASSWORD, address="192.0.2.1").status_code == 429
    assert _login(Client(), "careful", PASSWORD, address="192.0.2.1").status_code == 302


def test_an_administrator_unlocks_a_locked_account_from_the_command_line(make_user):
    make_user("rita", "reviewer")
    for _ in range(10):
        _login(Client(), "Rita", "wrong")
    assert _login(Client(), "rita", PASSWORD).status_code == 429
    result = CliRunner().invoke(app, ["users", "unlock", "rita"])
    assert result.exit_code == 0, result.output
    assert "10 failed sign-ins forgotten" in result.output
    assert _login(Client(), "rita", PASSWORD).status_code == 302


def test_an_administrator_unlocks_from_the_admin(client, make_user):
    from civicshield.site.models import LoginFailure

    make_user("rita", "reviewer")
    for _ in range(10):
        _login(Client(), "rita", "wrong")
    boss = make_user("boss", "admin", is_staff=True, is_superuser=True)
    client.force_login(boss)
    listing = client.get("/admin/site/loginfailure/")
    assert listing.status_code == 200 and b"rita" in listing.content
    ids = list(LoginFailure.objects.filter(username="rita").values_list("pk", flat=True)[:1])
    done = client.post("/admin/site/loginfailure/", {"action": "unlock_accounts", "_selected_action": ids}, follow=True)
    assert b"Unlocked rita" in done.content
    assert _login(Client(), "rita", PASSWORD).status_code == 302


def test_a_lock_ends_one_window_after_the_last_failure_and_old_failures_are_forgotten(make_user):
    import datetime as dt

    from civicshield.site.models import LoginFailure

    make_user("rita", "reviewer")
    for _ in range(10):
        _login(Client(), "rita", "wrong")
    assert _login(Client(), "rita", PASSWORD).status_code == 429
    LoginFailure.objects.update(at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert _login(Client(), "rita", PASSWORD).status_code == 302
    _login(Client(), "someone", "wrong")
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["someone"]
