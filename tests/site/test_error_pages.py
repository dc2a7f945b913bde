"""404, 403 and 500 pages keep the site's layout and navigation, in the reader's language."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

pytestmark = pytest.mark.django_db


def _has_layout(body: str) -> bool:
    return ('class="brand"' in body and 'data-testid="language-switcher"' in body
            and 'rel="icon"' in body and '<a href="/">' in body)


def test_an_unknown_address_gets_the_sites_404_page(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and _has_layout(body)


def test_the_404_page_speaks_the_readers_language(client):
    body = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        assert translation.gettext("Page not found") in body
    assert '<html lang="fr"' in body


def test_a_page_the_role_does_not_allow_gets_the_sites_403_page(client, make_user):
    make_user("rev", "reviewer", is_staff=False)
    client.login(username="rev", password="correct-horse-battery")
    response = client.get("/console/ads/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Not allowed" in body and _has_layout(body)


def test_the_500_page_renders_without_a_request_or_a_database():
    # Django renders it with an empty context when something has already failed.
    body = render_to_string("500.html")
    assert "Something went wrong" in body and 'class="brand"' in body


def test_the_favicon_is_served(client):
    assert client.get("/static/site/favicon.svg").status_code == 200
