"""Outside text is shown and downloaded inertly: media only from the platform's store, CSV cells never
run as formulas, names never reorder themselves with bidirectional overrides, links only http(s)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import ev_account, ev_content

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "civicshield"
RLO = "\u202e"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082")


def stored_png(settings, tmp_path) -> str:
    from civicshield.provenance.models import MediaFile

    settings.MEDIA_ROOT = str(tmp_path / "media")
    target = tmp_path / "media" / "uploads" / "ab" / "dot.png"
    target.parent.mkdir(parents=True)
    target.write_bytes(PNG)
    MediaFile.objects.create(sha256="ab" * 32, path="uploads/ab/dot.png", mime="image/png", size=len(PNG))
    return "uploads/ab/dot.png"


@pytest.fixture
def media_case(ingest, make_user, settings, tmp_path):
    from civicshield.review.cases import open_case

    media = [{"id": "m-off", "type": "image", "path": "https://evil.example/track.png"},
             {"id": "m-js", "type": "image", "path": "javascript:alert(document.cookie)"},
             {"id": "m-up", "type": "image", "path": "../../../etc/passwd"},
             {"id": "m-ok", "type": "image", "path": stored_png(settings, tmp_path)}]
    ingest([ev_account("acct-m"), ev_content("post-m", account_id="acct-m", text="look at this", media=media)])
    return open_case("misinformation", "content", "post-m", reason="media check")


def test_a_case_shows_only_stored_media_as_images_and_the_rest_as_text(media_case, make_user):
    client = Client()
    client.force_login(make_user("rev", "reviewer"))
    page = client.get(f"/console/review/cases/{media_case.pk}/").content.decode()
    sources = re.findall(r'<img src="([^"]*)"', page)
    assert sources == [f"/console/review/cases/{media_case.pk}/media/3/"]
    assert "https://evil.example/track.png</code>" in page and "javascript:alert(document.cookie)</code>" in page
    image = client.get(sources[0])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == PNG
    for index in (0, 1, 2, 9):
        assert client.get(f"/console/review/cases/{media_case.pk}/media/{index}/").status_code == 404


def test_stored_media_are_served_only_to_people_who_may_see_the_case(media_case, make_user):
    client = Client()
    client.force_login(make_user("ads", "ads_reviewer"))
    assert client.get(f"/console/review/cases/{media_case.pk}/media/3/").status_code == 404
    assert Client().get(f"/console/review/cases/{media_case.pk}/media/3/").status_code == 302


def test_the_influence_report_csv_never_runs_analyst_text_as_a_formula(client, reference_data):
    from civicshield.influence.models import NetworkCase

    NetworkCase.objects.create(network_id="net-x", status="taken_down", name='=HYPERLINK("https://evil.example")',
                               targets="+1+1", target_countries="@US",
                               taken_down_at=dt.datetime(2026, 8, 1, tzinfo=dt.timezone.utc))
    response = client.get("/influence/reports/2026-Q3.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["name"] == "'=HYPERLINK(\"https://evil.example\")"
    assert rows[0]["targets"] == "'+1+1" and rows[0]["targeted_countries"] == "'@US"


def test_every_csv_is_written_by_the_one_safe_writer():
    writers = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
               if re.search(r"csv\.(writer|DictWriter)\(", p.read_text()) and p.name != "spreadsheets.py"]
    assert not writers, f"CSV written without civicshield.core.spreadsheets: {writers}"


def _verified(name: str, handle: str = "gov_x"):
    from civicshield.verification.models import VerifiedAccount

    return VerifiedAccount.objects.create(account_id="acct-v", handle=handle, display_name=f"Office of {name}",
                                          category="government_official", official_name=name,
                                          verified_at=dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc))


def test_public_names_cannot_reverse_themselves(client, reference_data):
    _verified(f"Election Office {RLO}gnp.exe", handle=f"{RLO}eciffo")
    page = client.get("/verification/registry/").content.decode()
    assert RLO not in page
    assert "Election Office gnp.exe" in page and "@eciffo" in page
    assert RLO not in client.get("/verification/registry.csv").content.decode()


def test_console_names_cannot_reverse_themselves(ingest, make_user):
    ingest([ev_account("acct-b", handle=f"{RLO}nimda", display_name=f"{RLO}txt.exe"),
            ev_content("post-b", account_id="acct-b", text="hello")])
    client = Client()
    client.force_login(make_user("rev", "reviewer"))
    page = client.get("/console/subjects/content/post-b/").content.decode()
    assert "@nimda" in page and RLO not in page


NAME_FIELDS = re.compile(r"\{\{ ([\w.]*(?:handle|display_name|official_name|advertiser_name|organisation))\b([^}]*)\}\}")


def test_every_template_shows_names_through_the_name_filter():
    loose = []
    for template in SRC.glob("*/templates/**/*.html"):
        for line_no, line in enumerate(template.read_text().splitlines(), 1):
            for var, filters in NAME_FIELDS.findall(line):
                if not var.startswith("form.") and "|name" not in filters:
                    loose.append(f"{template.relative_to(SRC)}:{line_no} {var}")
    assert not loose, "names shown without |name: " + ", ".join(loose)


def test_links_from_outside_data_are_http_only():
    from django.template import Context, Template

    link = Template('<a href="{{ url|http_url }}">x</a>')
    assert link.render(Context({"url": "javascript:alert(1)"})) == '<a href="">x</a>'
    assert link.render(Context({"url": " JavaScript:alert(1)"})) == '<a href="">x</a>'
    assert link.render(Context({"url": "https://vote.gov/"})) == '<a href="https://vote.gov/">x</a>'
