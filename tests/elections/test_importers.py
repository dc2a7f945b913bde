"""Importing VIP feeds and partner files into the Election Center; checking official links."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.elections.models import Election, KeyDate, LinkCheck, PollingLocation, VoterFact

from .vip_feeds import write_feed

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def _run(*args: str):
    result = runner.invoke(app, ["elections", *args])
    return result, (json.loads(result.stdout) if result.stdout.strip().startswith("{") else None)


@pytest.mark.parametrize("version", ["5.2", "6.0"])
def test_import_vip_prints_a_summary_and_reimport_changes_nothing(tmp_path, reference_data, version):
    feed = write_feed(tmp_path, version, zipped=(version == "6.0"), polling_locations=27, early_sites=3)
    result, summary = _run("import-vip", str(feed))
    assert result.exit_code == 0, result.output
    assert summary["version"] == version
    assert summary["counts"]["Election"] == 1 and summary["counts"]["PollingLocation"] == 30
    assert summary["records"]["updated"] == 0 and summary["records"]["created"] > 30
    texas_sites = PollingLocation.objects.filter(jurisdiction__region="US-TX")
    assert texas_sites.count() == 30 and texas_sites.filter(is_early_voting=True).count() == 3
    assert Election.objects.filter(date="2026-11-03", jurisdiction__region="US-TX").exists()
    from django.test import Client

    spanish = Client().get("/elections/us/tx/?lang=es").content.decode()
    assert "Sitio web de la oficina electoral" in spanish and 'href="https://www.votetravis.gov/"' in spanish
    assert "Travis County Clerk" in spanish and "Early vote site 0" in spanish
    before = list(PollingLocation.objects.values_list("id", "name", "address", "hours"))
    again, summary2 = _run("import-vip", str(feed))
    assert summary2["records"] == {"created": 0, "updated": 0, "unchanged": summary["records"]["created"]}
    assert list(PollingLocation.objects.values_list("id", "name", "address", "hours")) == before


def test_import_vip_rejects_a_broken_feed_with_a_clear_message(tmp_path, reference_data):
    bad = tmp_path / "bad.xml"
    bad.write_text('<VipObject schemaVersion="3.0"/>')
    result, _ = _run("import-vip", str(bad))
    assert result.exit_code == 2 and "not supported" in result.output


PARTNER = {
    "data": {
        "authorities": [
            {
                "ocdId": "ocd-division/country:us/state:tx",
                "homepageUrl": "https://www.votetexas.gov/",
                "canonicalUrl": "https://partner.example/authorities/tx",
                "updatedAt": "2026-10-01T10:00:00Z",
                "registration": {
                    "statusUrl": "https://teamrv-mvp.sos.texas.gov/MVP/mvp.do",
                    "online": {"supported": False},
                },
            },
            {"ocdId": "ocd-division/country:us/state:zz", "homepageUrl": "https://nowhere.example/"},
        ],
        "elections": [
            {
                "ocdId": "ocd-division/country:us/state:tx",
                "description": "Texas Constitutional Amendment Election",
                "date": "2027-11-02",
                "type": "state",
                "updatedAt": "2027-08-01",
                "canonicalUrl": "https://partner.example/elections/tx-2027",
                "registration": {
                    "byMail": {"deadline": {"date": "2027-10-04", "postmarkedOrReceived": "postmarked"}}
                },
            }
        ],
    },
    "pagination": {"totalRecordCount": 3, "currentPage": 1, "pageSize": 100},
}


def test_partner_json_updates_facts_with_its_source_and_reports_bad_records(tmp_path, reference_data):
    path = tmp_path / "dw.json"
    path.write_text(json.dumps(PARTNER))
    result, summary = _run("import-partner", str(path))
    assert result.exit_code == 1  # one bad record
    assert summary["errors"] == [
        {
            "collection": "authorities",
            "index": 1,
            "reason": "unknown jurisdiction 'ocd-division/country:us/state:zz'",
        }
    ]
    site = VoterFact.objects.get(jurisdiction__region="US-TX", field="official_election_website")
    assert site.value == "https://www.votetexas.gov/"
    assert (
        site.source_url == "https://partner.example/authorities/tx"
        and str(site.last_verified) == "2026-10-01"
    )
    election = Election.objects.get(name="Texas Constitutional Amendment Election")
    assert KeyDate.objects.get(election=election, kind="registration_deadline").basis == "mail (postmarked)"


def test_partner_csv_form(tmp_path, reference_data):
    path = tmp_path / "facts.csv"
    path.write_text(
        "ocd_id,field,value,source_url,as_of,last_verified,verified_by\n"
        "ocd-division/country:us/state:ca,official_election_website,https://www.sos.ca.gov/elections,"
        "https://www.sos.ca.gov/,2026-09-01,2026-11-20,jane (election editor)\n"
        "ocd-division/country:us/state:ca,online_registration,not-a-url,ftp://x,2026-09-01,2026-11-20,x\n"
    )
    result, summary = _run("import-partner", str(path))
    assert summary["records"]["updated"] == 1
    assert summary["errors"] == [{"index": 1, "line": 3, "reason": "source_url must be an http(s) URL"}]
    fact = VoterFact.objects.get(jurisdiction__region="US-CA", field="official_election_website")
    assert fact.verified_by == "jane (election editor)"


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):  # noqa: N802
        self.send_response(200 if self.path.startswith("/ok") else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_check_links_against_a_local_server(reference_data):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        VoterFact.objects.filter(jurisdiction__region__startswith="US").exclude(
            jurisdiction__region="US-TX"
        ).delete()
        Election.objects.update(source_url="")
        tx = VoterFact.objects.filter(jurisdiction__region="US-TX")
        for fact in tx:
            if fact.field == "official_election_website":
                fact.value = f"{base}/ok/texas"
            elif isinstance(fact.value, str) and fact.value.startswith("http"):
                fact.value = f"{base}/gone/{fact.field}"
            fact.save()
        result = runner.invoke(app, ["elections", "check-links", "--json", "--timeout", "5"])
    finally:
        server.shutdown()
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["checked"] == 4
    assert {b["status"] for b in report["broken"]} == {404}
    assert LinkCheck.objects.get(url=f"{base}/ok/texas").ok is True


def test_partner_records_of_the_wrong_shape_are_reported_not_fatal(tmp_path, reference_data):
    path = tmp_path / "odd.json"
    path.write_text(
        json.dumps(
            {
                "data": {
                    "authorities": [
                        "not an object",
                        {
                            "ocdId": "ocd-division/country:us/state:tx",
                            "homepageUrl": "https://www.votetexas.gov/",
                            "updatedAt": "yesterday",
                        },
                        {
                            "ocdId": "ocd-division/country:us/state:tx",
                            "homepageUrl": "https://www.votetexas.gov/",
                            "updatedAt": "2026-10-01",
                            "registration": "online",
                        },
                    ]
                }
            }
        )
    )
    result, summary = _run("import-partner", str(path))
    assert result.exit_code == 1
    assert [e["index"] for e in summary["errors"]] == [0, 1, 2]
    assert (
        "Invalid isoformat" in summary["errors"][1]["reason"] or "yesterday" in summary["errors"][1]["reason"]
    )
