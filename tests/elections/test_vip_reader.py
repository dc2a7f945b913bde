"""VIP 5.2 and 6.0 feeds are read into the same records; unsafe or malformed feeds are refused clearly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicshield.core.errors import FeedError
from civicshield.elections.vip import parse_feed

from .vip_feeds import vip_feed, write_feed


@pytest.mark.parametrize("version", ["5.2", "6.0"])
def test_both_versions_yield_elections_admin_urls_precincts_and_sites_with_hours(tmp_path, version):
    feed = parse_feed(write_feed(tmp_path, version, polling_locations=27, early_sites=2))
    summary = feed.summary()
    assert summary["version"] == version
    assert summary["counts"]["PollingLocation"] == 29 and summary["counts"]["Election"] == 1
    assert summary["counts"]["Precinct"] == 2 and summary["counts"]["Locality"] == 1
    assert summary["warnings"] == []
    [election] = feed.elections
    assert election["date"] == "2026-11-03" and election["name"] == "2026 General Election"
    assert feed.administrations[0]["urls"]["ElectionsUri"] == "https://www.votetravis.gov/"
    assert feed.states[0]["ocd_id"] == "ocd-division/country:us/state:tx"
    early = [p for p in feed.polling_locations if p["is_early_voting"]]
    assert len(early) == 2 and early[0]["address"].startswith("100 Main St")
    if version == "6.0":
        assert early[0]["hours"][0]["start_date"] == "2026-10-19"
    else:
        assert early[0]["hours_text"] == "7:00 am - 7:00 pm"


def test_zip_feeds_are_read(tmp_path):
    assert parse_feed(write_feed(tmp_path, "6.0", zipped=True)).summary()["counts"]["PollingLocation"] == 4


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path, monkeypatch):
    import zipfile

    from civicshield.elections import vip

    monkeypatch.setattr(vip, "MAX_FEED_BYTES", 1024 * 1024)
    bomb = tmp_path / "feed.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("feed.xml", b"<VipObject>" + b" " * (8 * 1024 * 1024) + b"</VipObject>")
    assert bomb.stat().st_size < 64 * 1024  # a few kilobytes that would inflate to 8 MB
    with pytest.raises(FeedError, match="over the 1048576-byte limit"):
        parse_feed(bomb)


def test_entity_expansion_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><VipObject schemaVersion="6.0">&b;</VipObject>'
    with pytest.raises(FeedError, match="unsafe"):
        parse_feed(bomb)


def test_malformed_and_unsupported_feeds_name_the_problem():
    with pytest.raises(FeedError, match="line 2"):
        parse_feed(b'<?xml version="1.0"?>\n<VipObject schemaVersion="6.0"><Election></VipObject>')
    with pytest.raises(FeedError, match="3.0"):
        parse_feed(b'<VipObject schemaVersion="3.0"/>')
    with pytest.raises(FeedError, match="expected <VipObject>"):
        parse_feed(b"<vip_object/>")


def test_dangling_references_are_warnings_not_failures():
    xml = vip_feed("6.0").replace(
        "<PollingLocationIds>pl0</PollingLocationIds>", "<PollingLocationIds>pl0 nowhere</PollingLocationIds>"
    )
    feed = parse_feed(xml.encode())
    assert feed.warnings == ["Precinct pr2: PollingLocationIds not in feed: nowhere"]
    assert len(feed.precincts) == 2


@pytest.mark.parametrize("declaration", ['encoding="aTF-8"', 'encoding="UTF-16"'])
def test_an_unusable_encoding_declaration_is_a_clear_error(declaration):
    raw = vip_feed("6.0").encode()
    damaged = b'<?xml version="1.0" ' + declaration.encode() + b"?>" + raw.split(b"?>", 1)[-1]
    with pytest.raises(FeedError, match="decode|well-formed"):
        parse_feed(damaged)


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=4000), junk=st.binary(max_size=40))
def test_damaged_feeds_fail_cleanly_or_parse(cut, junk):
    raw = vip_feed("6.0").encode()
    damaged = raw[:cut] + junk + raw[cut + len(junk) :]
    try:
        feed = parse_feed(damaged)
    except FeedError:
        return
    assert isinstance(feed.summary()["counts"], dict)


def test_bad_values_become_warnings():
    xml = vip_feed("6.0").replace("<Latitude>30.20</Latitude>", "<Latitude>north</Latitude>")
    xml = xml.replace("<Date>2026-11-03</Date>", "<Date>3 Nov</Date>")
    feed = parse_feed(xml.encode())
    assert feed.elections == [] and feed.polling_locations[0]["lat"] is None
    assert any("not a coordinate" in w for w in feed.warnings) and any(
        "not YYYY-MM-DD" in w for w in feed.warnings
    )


def test_elements_without_ids_are_skipped_with_a_warning():
    xml = vip_feed("5.2").replace('<PollingLocation id="pl1">', "<PollingLocation>")
    feed = parse_feed(xml.encode())
    assert "PollingLocation without a usable id attribute ('')" in feed.warnings[0]
    assert len(feed.polling_locations) == 3
