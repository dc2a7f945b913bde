"""An analyst opens a detected network in the console and takes the whole network down."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from civicshield.influence.detection import detect_networks
from civicshield.influence.simulate import simulate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder: Path = tmp_path_factory.mktemp("influence-browser")
    simulation = simulate(9, accounts=1200, events=20_000, networks=3, days=2)
    simulation.write(folder / "log.parquet", folder / "accounts.parquet")
    return detect_networks(folder / "log.parquet", accounts=folder / "accounts.parquet").as_dict()


def test_analyst_takes_a_network_down_from_the_console(detected, logged_in_page, live_server,
                                                       reference_data) -> None:
    from civicshield.decisions.models import Decision
    from civicshield.influence.cases import store_detection

    _, cases = store_detection(detected, source="log.parquet")
    case = cases[0]
    members = case.members.count()
    page, _ = logged_in_page("analyst")
    page.goto(f"{live_server.url}/console/influence/")
    page.click(f"text={case.network_id}")
    # The click starts a navigation; the expectations wait for the network page to arrive.
    expect(page.locator("svg.network-graph circle")).to_have_count(members)
    expect(page.locator("svg.network-timeline")).to_have_count(1)
    page.fill("[data-testid=takedown-reason]", "Coordinated amplification by one operator.")
    page.select_option("select[name=action]", "suspend_account")
    page.click("[data-testid=takedown]")
    page.wait_for_selector("text=Network taken down")
    assert page.inner_text("[data-testid=network-status]") == "taken down"
    expect(page.locator("[data-testid=members] td:has-text('#')")).to_have_count(members)
    decisions = Decision.objects.filter(rule_id="influence.network_takedown", action="suspend_account")
    assert decisions.count() == members
    assert {d.signals["influence_network"]["value"] for d in decisions} == {case.network_id}
