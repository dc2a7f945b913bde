"""Partner fact-checker portal: organisations see only their own cases, and rating a case acts."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from civicshield.decisions.state import subject_state
from civicshield.factchecks.models import FactCheck, PartnerOrganisation
from civicshield.review.cases import open_case
from civicshield.review.models import Case

from ..conftest import ev_account, ev_content

POST = "Polling places in Texas will close at noon on election day because of staff shortages."


@pytest.fixture
def orgs(db: Any) -> tuple[PartnerOrganisation, PartnerOrganisation]:
    return (PartnerOrganisation.objects.create(slug="checkers-us", name="Checkers US", languages=["en"], regions=["US"]),
            PartnerOrganisation.objects.create(slug="verif-fr", name="Vérif FR", languages=["fr"], regions=["FR"]))


def _checker(make_user: Callable[..., Any], org: PartnerOrganisation, name: str) -> Any:
    user = make_user(name, "fact_checker")
    org.members.add(user)
    return user


def test_cases_are_routed_by_language_and_region_and_partners_see_only_theirs(
        client: Any, make_user: Callable[..., Any], orgs: Any) -> None:
    us, fr = orgs
    en_case = open_case("fact_check", "content", "p-en", language="en", region="US-TX")
    fr_case = open_case("fact_check", "content", "p-fr", language="fr", region="FR")
    client.force_login(_checker(make_user, us, "ana"))
    page = client.get("/console/factchecks/")
    assert page.status_code == 200
    assert f"#{en_case.pk}" in page.content.decode() and f"#{fr_case.pk}" not in page.content.decode()
    assert Case.objects.get(pk=fr_case.pk).partner_org == "verif-fr"
    assert client.get(f"/console/factchecks/cases/{en_case.pk}/").status_code == 200
    assert client.get(f"/console/factchecks/cases/{fr_case.pk}/").status_code == 404
    assert client.post(f"/console/factchecks/cases/{fr_case.pk}/rate/",
                       {"claim": "x", "rating": "false"}).status_code == 404


def test_other_roles_and_anonymous_users_cannot_open_the_portal(client: Any, make_user: Callable[..., Any],
                                                               orgs: Any) -> None:
    assert client.get("/console/factchecks/").status_code == 302
    client.force_login(make_user("rita", "reviewer"))
    assert client.get("/console/factchecks/").status_code == 403


def test_a_fact_checker_without_an_organisation_sees_no_cases(client: Any, make_user: Callable[..., Any],
                                                             orgs: Any) -> None:
    case = open_case("fact_check", "content", "p-en", language="en", region="US-TX")
    client.force_login(make_user("solo", "fact_checker"))
    assert client.get(f"/console/factchecks/cases/{case.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_rating_a_case_false_labels_the_post_and_exports_claimreview(
        client: Any, make_user: Callable[..., Any], ingest: Callable[..., Any], orgs: Any) -> None:
    ingest([ev_account("acct-tx", region="US-TX"), ev_content("post-tx", account_id="acct-tx", text=POST,
                                                              region="US-TX")])
    case = open_case("fact_check", "content", "post-tx", language="en", region="US-TX")
    client.force_login(_checker(make_user, orgs[0], "ben"))
    client.get("/console/factchecks/")
    client.post(f"/console/factchecks/cases/{case.pk}/note/", {"note": "County site says 7am-7pm",
                                                                "source": "https://county.example/hours"})
    response = client.post(f"/console/factchecks/cases/{case.pk}/rate/", {
        "claim": POST, "rating": "false", "rating_text": "False", "sources": "https://county.example/hours"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "decided"
    assert [e.what for e in case.entries.all()][-3:] == ["note", "source", "rated"]
    assert "fact_checked_false" in subject_state("content", "post-tx").labels
    fc = FactCheck.objects.get(case_id=case.pk)
    assert fc.organisation == orgs[0] and fc.current.rating == "false"
    from civicshield.factchecks.importing import export_claimreviews

    (exported,) = export_claimreviews("checkers-us")
    assert exported["claimReviewed"] == POST
    assert exported["author"]["name"] == "Checkers US"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_fact_checker_rates_a_case_in_the_browser(logged_in_page: Callable[..., Any], live_server: Any,
                                                    ingest: Callable[..., Any], orgs: Any) -> None:
    ingest([ev_account("acct-b", region="US-TX"), ev_content("post-b", account_id="acct-b", text=POST,
                                                             region="US-TX")])
    case = open_case("fact_check", "content", "post-b", language="en", region="US-TX")
    page, user = logged_in_page("fact_checker", username="carla")
    orgs[0].members.add(user)
    page.goto(f"{live_server.url}/console/factchecks/")
    page.click(f"text=#{case.pk}")
    assert "noon on election day" in page.inner_text("#subject-text")
    page.click("#claim-case")
    page.select_option("select[name=rating]", "false")
    page.fill("input[name=rating_text]", "False: polls are open 7am to 7pm")
    page.click("#rate")
    page.wait_for_selector(".messages")
    assert f"Case {case.pk} rated false" in page.inner_text(".messages")
    assert "false (revision 1)" in page.inner_text("body")
    assert "fact_checked_false" in subject_state("content", "post-b").labels
