"""Every URL pattern × every role × anonymous: each reaches only what it should, and nothing crashes.

Console pages (under /console/) need a login; a view decorated with `role_required` admits exactly the
roles it declares (admins always); public pages answer anonymous visitors; every state-changing console
request without a CSRF token is refused; every API operation that changes state demands credentials.
"""

from __future__ import annotations

import re
import uuid
from typing import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from civicshield.site.roles import ROLES

pytestmark = pytest.mark.django_db
SKIP = ("admin/", "api/v1/", "static/", "media/", "accounts/logout/")
SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "uuid": str(uuid.UUID(int=1)), "path": "sample/file"}


def _walk(patterns, prefix: str = "") -> Iterator[tuple[str, object]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _concrete(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None  # regex routes belong to Django's admin and static handlers, tested elsewhere
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "sample"), route)


def site_urls() -> list[tuple[str, tuple[str, ...] | None]]:
    urls = []
    for route, view in _walk(get_resolver().url_patterns):
        url = _concrete(route)
        if url and not url.lstrip("/").startswith(SKIP):
            urls.append((url, getattr(view, "civicshield_roles", None)))
    return sorted(set(urls))


def console_views() -> dict[str, object]:
    return {url: view for route, view in _walk(get_resolver().url_patterns)
            if (url := _concrete(route)) and url.startswith("/console/")}


@pytest.fixture
def users(make_user, reference_data):
    return {role: make_user(f"user-{role}", role) for role in ROLES} | {"none": make_user("user-none")}


def test_every_url_answers_each_role_as_declared(users):
    urls = site_urls()
    assert len(urls) > 10
    problems = []
    anonymous = Client()
    for url, roles in urls:
        status = anonymous.get(url).status_code
        if status >= 500:
            problems.append(f"anonymous GET {url} → {status}")
        if url.startswith("/console/") and status == 200:
            problems.append(f"anonymous reached console page {url}")
        if roles and status == 200:
            problems.append(f"anonymous reached {url}, which requires {roles}")
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        for url, roles in urls:
            status = client.get(url).status_code
            if status == 405:  # a POST-only action: ask the way a form would
                status = client.post(url, {}).status_code
            if status >= 500:
                problems.append(f"{name} GET {url} → {status}")
            if roles is None:
                continue
            allowed = name == "admin" or name in roles
            if allowed and status == 403:
                problems.append(f"{name} refused at {url} although it requires {roles}")
            if not allowed and status != 403:
                problems.append(f"{name} got {status} at {url}, which requires {roles}")
    assert not problems, "\n".join(problems)


def test_every_console_page_declares_its_roles_or_scopes_its_querysets():
    """A console view either admits declared roles (`role_required`) or scopes what it shows by user
    (`civicshield_scoped`); the dashboard is the one page every signed-in user reaches."""
    loose = [url for url, view in console_views().items() if url != "/console/"
             and not getattr(view, "civicshield_roles", None) and not getattr(view, "civicshield_scoped", False)]
    assert not loose, f"console pages open to any signed-in user: {loose}"


def test_a_user_without_a_role_is_refused_every_console_page_but_the_dashboard(users):
    client = Client()
    client.force_login(users["none"])
    reached = {}
    for url in console_views():
        status = client.get(url).status_code
        if status == 405:
            status = client.post(url, {}).status_code
        if status not in (403, 404) and url != "/console/":
            reached[url] = status
    assert not reached, f"a user without a role reached: {reached}"
    home = client.get("/console/").content.decode()
    assert "no role that shows subjects" in home


def test_console_posts_without_a_csrf_token_are_refused(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    posted = [url for url, _ in site_urls() if url.startswith("/console/")]
    refused = {url: client.post(url, {"x": "1"}).status_code for url in posted}
    accepted = {url: code for url, code in refused.items() if code not in (403, 404, 405)}
    assert not accepted, f"console POSTs accepted without CSRF: {accepted}"


def test_every_state_changing_api_operation_requires_credentials(client):
    schema = client.get("/api/v1/openapi.json").json()
    open_writes = [f"{method.upper()} {path}" for path, ops in schema["paths"].items()
                   for method, op in ops.items() if method in ("post", "put", "patch", "delete")
                   and not op.get("security")]
    assert not open_writes, f"API operations that change state without credentials: {open_writes}"
