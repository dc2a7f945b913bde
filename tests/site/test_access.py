"""Anonymous visitors reach only public pages; console pages need a login."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/console/", "/console/subjects/", "/console/subjects/content/p1/", "/admin/"])
def test_console_pages_send_anonymous_users_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", ["/", "/healthz", "/api/v1/openapi.json", "/accounts/login/"])
def test_public_pages_are_public(client, url):
    assert client.get(url).status_code == 200


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_user_without_admin_role_cannot_open_admin(client, make_user):
    make_user("rev", "reviewer", is_staff=False)
    client.login(username="rev", password="correct-horse-battery")
    assert client.get("/admin/").status_code == 302


def test_password_guessing_is_rate_limited(client, make_user, settings):
    make_user("rev", "reviewer")
    for _ in range(10):
        assert client.post("/accounts/login/", {"username": "rev", "password": "wrong"}).status_code == 200
    blocked = client.post("/accounts/login/", {"username": "rev", "password": "correct-horse-battery"})
    assert blocked.status_code == 429 and b"Too many attempts" in blocked.content


def test_api_key_guessing_and_overuse_are_rate_limited(api_client, settings):
    for _ in range(30):
        assert api_client.post("/api/v1/events", {"events": []}, key="cs_bad_key").status_code == 401
    assert api_client.post("/api/v1/events", {"events": []}, key="cs_bad_key").status_code == 429
    settings.CIVICSHIELD = {**settings.CIVICSHIELD, "API_RATE": "3/m"}
    codes = [api_client.get("/api/v1/schemas/events").status_code]
    codes += [api_client.post("/api/v1/assess?store=false", {"events": []}).status_code for _ in range(4)]
    assert codes[-1] == 429 and codes.count(422) == 3


def test_a_nul_character_in_a_query_is_refused_with_a_clear_reason_before_any_database_sees_it(client):
    response = client.get("/api/v1/verification/registry", {"category": "politician\x00"})
    assert response.status_code == 400 and "NUL character" in response.json()["detail"]
    assert client.get("/api/v1/verification/registry", {"category": "politician"}).status_code == 200
    response = client.get("/", {"q": "\x00"})
    assert response.status_code == 400 and "NUL character" in response.content.decode()


def test_a_nul_character_in_one_event_rejects_that_event_and_keeps_the_rest(api_client):
    from ..conftest import ev_account, ev_content

    batch = {"events": [ev_account("acct-nul"), ev_content("p-nul", account_id="acct-nul", text="vote\x00 today"),
                        ev_content("p-ok", account_id="acct-nul", text="vote today")]}
    response = api_client.post("/api/v1/events", json.dumps(batch))
    body = response.json()
    assert response.status_code == 207 and body["accepted"] == 2 and body["rejected"] == 1
    assert body["errors"][0]["index"] == 1 and body["errors"][0]["field"] == "content.text"
    assert "NUL character" in body["errors"][0]["reason"]
