"""Values that parse but name no real period or date are answered as the visitor's mistake (404 on a
page, 422 from the API), never as a server error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
EDGES = ["9999Q4", "0000Q1", "9999Q1", "0001Q1"]


@pytest.mark.parametrize("quarter", EDGES)
def test_public_report_pages_answer_404_for_quarters_outside_the_calendar(client, reference_data, quarter):
    dashed = f"{quarter[:4]}-{quarter[4:]}"
    for url in (f"/transparency/reports/{quarter}/", f"/transparency/reports/{quarter}.csv",
                f"/transparency/reports/{quarter}.json", f"/influence/reports/{dashed}/",
                f"/influence/reports/{dashed}.csv", f"/influence/reports/{dashed}.json"):
        assert client.get(url).status_code == 404, url
    overview = client.get("/transparency/", {"quarter": quarter})
    assert overview.status_code == 400 and "out of range" in overview.content.decode()


@pytest.mark.parametrize("quarter", EDGES)
def test_the_researcher_api_says_which_quarter_is_out_of_range(client, reference_data, quarter):
    for url in ("/api/v1/transparency/figures", "/api/v1/transparency/decisions"):
        response = client.get(url, {"quarter": quarter})
        assert response.status_code == 422, url
        assert "out of range" in response.json()["detail"]


def test_a_real_quarter_still_answers(client, reference_data):
    assert client.get("/transparency/reports/2026Q3/").status_code == 200
    assert client.get("/influence/reports/2026-Q3/").status_code == 200
    assert client.get("/api/v1/transparency/figures", {"quarter": "2026Q3"}).status_code == 200


@pytest.mark.parametrize("params", [{"since": "9999-12-31", "until": "9999-12-31"}, {"since": "0001-01-01"},
                                    {"until": "0001-01-01"}])
def test_the_ad_library_takes_dates_at_the_edges_of_the_calendar(client, reference_data, params):
    assert client.get("/ads/library/", params).status_code < 500
    assert client.get("/ads/library.csv", params).status_code < 500
    assert client.get("/api/v1/ads/library", params).status_code < 500


def test_a_dsa_export_until_the_last_day_of_the_calendar_is_a_clear_error(tmp_path, reference_data):
    from typer.testing import CliRunner

    from civicshield.cli import app

    result = CliRunner().invoke(app, ["transparency", "export-dsa", "--since", "2026-01-01", "--until", "9999-12-31",
                                      "--out", str(tmp_path / "sor.jsonl")])
    assert result.exit_code != 0 and "last day the calendar has" in result.output
