"""Shared fixtures: event factories, API clients, users with roles, and a real browser.

The browser is Debian's chromium driven by Playwright (never a downloaded browser). Browser tests use
`live_server`, so they run against the same database engine as the rest of the suite.
"""

from __future__ import annotations

import itertools
import os
import shutil
from typing import Any, Callable, Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CIVICSHIELD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]
_ids = itertools.count(1)


def _next(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


# ---- event factories -------------------------------------------------------------------------------
def ev_account(account_id: str | None = None, *, at: str = "2026-10-20T10:00:00Z", event_id: str | None = None,
               **fields: Any) -> dict[str, Any]:
    account = {"id": account_id or _next("acct"), "handle": fields.pop("handle", None) or _next("handle"),
               "display_name": "Test Account", "category": "regular", "region": "US-CA", "verified": False,
               "followers": 10, **fields}
    return {"id": event_id or _next("ev"), "type": "account.upserted", "occurred_at": at,
            "account": account}


def ev_content(content_id: str | None = None, *, account_id: str = "acct-x", text: str = "hello world",
               at: str = "2026-10-20T11:00:00Z", type: str = "content.created", event_id: str | None = None,
               **fields: Any) -> dict[str, Any]:
    content = {"id": content_id or _next("post"), "account_id": account_id, "kind": "post", "text": text,
               "region": "US-CA", "views": 10, **fields}
    return {"id": event_id or _next("ev"), "type": type, "occurred_at": at, "content": content}


def ev_ad(ad_id: str | None = None, *, advertiser: str = "acct-x", text: str = "Great shoes on sale",
          at: str = "2026-10-20T12:00:00Z", **fields: Any) -> dict[str, Any]:
    ad = {"id": ad_id or _next("ad"), "advertiser_account_id": advertiser, "text": text, "regions": ["US-CA"], **fields}
    return {"id": _next("ev"), "type": "ad.submitted", "occurred_at": at, "ad": ad}


def ev_search(query: str, *, region: str = "US-CA", at: str = "2026-10-20T12:00:00Z") -> dict[str, Any]:
    return {"id": _next("ev"), "type": "search.performed", "occurred_at": at,
            "search": {"id": _next("search"), "query": query, "region": region}}


def ev_interaction(account_id: str, object_id: str, *, action: str = "share",
                   at: str = "2026-10-20T12:00:00Z") -> dict[str, Any]:
    return {"id": _next("ev"), "type": "interaction", "occurred_at": at,
            "interaction": {"account_id": account_id, "action": action, "object_id": object_id, "at": at}}


@pytest.fixture
def events() -> Any:
    """The event factories, for tests that prefer a fixture over imports."""
    import types

    return types.SimpleNamespace(account=ev_account, content=ev_content, ad=ev_ad, search=ev_search,
                                 interaction=ev_interaction)


# ---- database helpers ------------------------------------------------------------------------------
@pytest.fixture
def reference_data(db: Any) -> None:
    """Role groups and shipped reference data, as `civicshield setup` loads them."""
    from django.apps import apps

    from civicshield.site.roles import ensure_roles

    ensure_roles()
    for config in apps.get_app_configs():
        loader = getattr(config, "load_reference_data", None)
        if callable(loader):
            loader()


@pytest.fixture(autouse=True)
def _fresh_assessor() -> Iterator[None]:
    """Each test builds its assessment context from its own database state, with fresh rate limits."""
    from django.core.cache import cache

    from civicshield.intake import context

    cache.clear()
    context.reset()
    yield
    context.reset()


@pytest.fixture(autouse=True)
def _audit_dir(tmp_path_factory: Any, monkeypatch: Any) -> None:
    """Each test keeps the signed checkpoints of its decision log (and their key) apart from the others'."""
    monkeypatch.setenv("CIVICSHIELD_AUDIT_DIR", str(tmp_path_factory.mktemp("audit")))


@pytest.fixture
def ingest(db: Any, reference_data: None) -> Callable[..., Any]:
    from civicshield.intake.pipeline import process_batch

    def run(events: list[dict[str, Any]], **kwargs: Any) -> Any:
        return process_batch(events, **kwargs)

    return run


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from django.contrib.auth.models import Group, User

    from civicshield.site.roles import ensure_roles

    ensure_roles()

    def make(username: str | None = None, *roles: str, password: str = "correct-horse-battery",
             **fields: Any) -> Any:
        user = User.objects.create_user(username or _next("user"), password=password, **fields)
        user.groups.set(Group.objects.filter(name__in=roles))
        return user

    return make


class ApiClient:
    def __init__(self, client: Any, key: str) -> None:
        self.client, self.key = client, key

    def post(self, path: str, data: Any, key: str | None = "default") -> Any:
        headers = {} if key is None else {"Authorization": f"Bearer {self.key if key == 'default' else key}"}
        return self.client.post(path, data=data, content_type="application/json", headers=headers)

    def get(self, path: str, key: str | None = "default") -> Any:
        headers = {} if key is None else {"Authorization": f"Bearer {self.key if key == 'default' else key}"}
        return self.client.get(path, headers=headers)


@pytest.fixture
def api_client(client: Any, db: Any, reference_data: None) -> ApiClient:
    from civicshield.intake.auth import create_api_key

    return ApiClient(client, create_api_key(_next("platform")))


# ---- real browser ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"chromium not found at {CHROMIUM}; `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def logged_in_page(page: Any, live_server: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Log a fresh user with `roles` into the browser page; returns (page, user)."""

    def login(*roles: str, username: str | None = None) -> Any:
        user = make_user(username, *roles, password="correct-horse-battery")
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "correct-horse-battery")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/console/**")
        return page, user

    return login
