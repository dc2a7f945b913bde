"""An analyst's attribution that does not fit its field is refused with a message, never cut short
silently nor answered with a server error (the columns are shorter than the old silent cut)."""

from __future__ import annotations

import pytest

from civicshield.influence.models import NetworkCase, NetworkMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    network = NetworkCase.objects.create(network_id="net-limits", score=0.9)
    for account in ("acct-n1", "acct-n2"):
        NetworkMember.objects.create(case=network, account_id=account)
    return network


def test_a_too_long_network_name_is_refused_with_the_limit(case, make_user, client):
    client.force_login(make_user(None, "analyst"))
    url = f"/console/influence/networks/{case.network_id}/attribution/"
    page = client.post(url, {"name": "N" * 250, "origin_country": "RU"}, follow=True)
    assert page.status_code == 200
    assert "name holds 250 characters; the limit is 200" in page.content.decode()
    case.refresh_from_db()
    assert case.name == "" and case.origin_country == ""
    client.post(url, {"name": "Operation Example", "origin_country": "C" * 65})
    case.refresh_from_db()
    assert case.name == ""
    client.post(url, {"name": "Operation Example", "origin_country": "RU"})
    case.refresh_from_db()
    assert (case.name, case.origin_country) == ("Operation Example", "RU")
