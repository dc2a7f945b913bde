"""The public Transparency Center: pages, charts with text alternatives, downloads, and the researcher API."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from civicshield.transparency.charts import Chart


@pytest.mark.django_db
def test_pages_are_public_and_structured(season, client):
    page = client.get("/transparency/?quarter=2026Q3")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("<h1>") == 1 and "<h2>Key figures for 2026Q3</h2>" in body
    assert body.count('role="img"') == 6 and body.count("<desc id=") == 6
    assert "Data table: Content removed by policy area, per quarter" in body
    for url in ("/transparency/methodology/", "/transparency/downloads/", "/transparency/reports/2026Q3/"):
        assert client.get(url).status_code == 200
    assert client.get("/transparency/?quarter=2026-3").status_code == 400
    assert client.get("/transparency/reports/3026Q9/").status_code == 404


@pytest.mark.django_db
def test_before_any_decision_the_center_shows_the_current_quarter_honestly(client, reference_data):
    body = client.get("/transparency/").content.decode()
    assert "Key figures for" in body and "No content has been removed yet." in body
    assert "Not yet measured." in body  # influence networks: no takedown recorded
    assert client.get("/transparency/downloads/").status_code == 200


@pytest.mark.django_db
def test_downloads_match_the_report(season, client):
    from civicshield.transparency.periods import Quarter
    from civicshield.transparency.report import build_report

    expected = build_report(Quarter(2026, 3))
    as_json = client.get("/transparency/reports/2026Q3.json")
    assert as_json["Content-Disposition"].endswith('civicshield-enforcement-2026Q3.json"')
    assert json.loads(as_json.content)["digest"] == expected["digest"]
    rows = list(csv.DictReader(io.StringIO(client.get("/transparency/reports/2026Q3.csv").content.decode())))
    assert {r["key"] for r in rows} == {f["key"] for f in expected["figures"]}


def test_a_chart_states_its_numbers_in_words_and_never_draws_missing_data_as_zero():
    chart = Chart("x", "Ads rejected", "Bars: ads rejected.", ["2026Q2", "2026Q3"], {"ads": [3, 5]})
    assert '<desc id="' in chart.svg and "2026Q2: ads 3; 2026Q3: ads 5" in chart.svg
    assert chart.svg.count("<rect") == 2 and chart.rows() == [("2026Q2", ["3"]), ("2026Q3", ["5"])]
    missing = Chart("y", "Visits", "Bars: visits.", ["2026Q3"], {"visits": [None]}, note="Not yet measured.")
    assert not missing.measured and "<rect" not in missing.svg and "Not yet measured." in missing.svg
    assert missing.rows() == [("2026Q3", ["not yet measured"])]


@pytest.mark.django_db
def test_the_researcher_api_withholds_small_cells(season, client, settings):
    settings.CIVICSHIELD = {**settings.CIVICSHIELD, "TRANSPARENCY_MIN_CELL": 5}
    figures = client.get("/api/v1/transparency/figures?quarter=2026Q3").json()
    assert figures["k"] == 5
    by_market = next(f for f in figures["figures"] if f["key"] == "content_removed_by_market")
    raw = season.expected()["removed_by_market"]
    assert set(by_market["suppressed"]) == {m for m, n in raw.items() if n < 5}
    assert all(by_market["breakdown"][m] == (None if n < 5 else n) for m, n in raw.items())
    table = client.get("/api/v1/transparency/decisions?quarter=2026Q3&by=area&by=market&k=50").json()
    assert table["k"] == 50 and all(c["decisions"] is None or c["decisions"] >= 50 for c in table["cells"])
    assert client.get("/api/v1/transparency/figures?quarter=2026Q3&k=2").status_code == 422
    assert client.get("/api/v1/transparency/decisions?quarter=Q3").status_code == 422
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/transparency/figures" in schema["paths"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_sees_the_charts_and_downloads_a_csv(season, live_server, page, tmp_path):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Transparency").first.click()
    page.wait_for_url("**/transparency/")
    page.select_option("#quarter", "2026Q3")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Transparency Center"
    assert page.get_by_role("heading", name="Key figures for 2026Q3").is_visible()
    chart = page.get_by_role("img", name="Content removed by policy area, per quarter")
    assert chart.is_visible() and "election misinformation" in chart.locator("desc").text_content()
    assert page.get_by_role("img").count() == 6
    page.get_by_text("Data table: Proactive rate, per quarter").click()
    assert page.get_by_role("table", name="Proactive rate, per quarter").is_visible()
    if os.environ.get("CIVICSHIELD_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["CIVICSHIELD_SCREENSHOTS"], "transparency.png"), full_page=True)
    page.get_by_role("link", name="Downloads").first.click()
    with page.expect_download() as info:
        page.get_by_role("link", name="2026Q3 CSV").click()
    path = tmp_path / "report.csv"
    info.value.save_as(path)
    assert info.value.suggested_filename == "civicshield-enforcement-2026Q3.csv"
    rows = list(csv.DictReader(path.open()))
    assert any(r["key"] == "content_removed" and r["quarter"] == "2026Q3" for r in rows)


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_on_desktop_and_phone(season, live_server, page):
    from axe_playwright_python.sync_playwright import Axe

    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path in ("/transparency/?quarter=2026Q3", "/transparency/reports/2026Q3/", "/transparency/methodology/",
                     "/transparency/downloads/"):
            page.goto(f"{live_server.url}{path}")
            page.locator("details").evaluate_all("els => els.forEach(e => e.open = true)")
            assert page.locator("h1").count() == 1
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            results = Axe().run(page, options=WCAG_AA)
            assert results.response["passes"], "axe-core did not run any check"
            assert results.violations_count == 0, f"{path} at {width}px: {results.generate_report()}"
