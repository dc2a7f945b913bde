import datetime as dt

import pytest

from civicshield.core.errors import InvalidEvent
from civicshield.core.events import event_json_schemas, parse_event
from tests.conftest import ev_account, ev_content


def test_a_valid_content_event_keeps_the_fields_we_do_not_model():
    raw = ev_content("p1", text="hi", platform_score=0.3)
    raw["trace"] = "abc"
    event = parse_event(raw)
    assert event.payload.id == "p1"
    assert event.payload.extra == {"platform_score": 0.3}
    assert event.extra == {"trace": "abc"}
    assert event.as_json()["content"]["platform_score"] == 0.3


def test_naive_timestamps_are_read_as_utc():
    raw = ev_account("a1", at="2026-10-20T10:00:00")
    assert parse_event(raw).occurred_at == dt.datetime(2026, 10, 20, 10, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("mutate, field, words", [
    (lambda e: e.pop("id"), "id", "non-empty string"),
    (lambda e: e.update(type="content.exploded"), "type", "unknown event type"),
    (lambda e: e.pop("content"), "content", "needs an object named 'content'"),
    (lambda e: e["content"].update(views=-3), "content.views", "greater than or equal to 0"),
    (lambda e: e["content"].update(kind="hologram"), "content.kind", "'video'"),
    (lambda e: e["content"].update(region="California"), "content.region", "pattern"),
    (lambda e: e.update(occurred_at="yesterday"), "occurred_at", "ISO 8601"),
])
def test_a_bad_event_names_its_index_field_and_reason(mutate, field, words):
    raw = ev_content("p1")
    mutate(raw)
    with pytest.raises(InvalidEvent) as info:
        parse_event(raw, index=7)
    assert info.value.index == 7
    assert info.value.field == field
    assert words in str(info.value)


def test_account_categories_are_the_documented_ones():
    with pytest.raises(InvalidEvent, match="category"):
        parse_event(ev_account(category="influencer"))


def test_every_event_type_has_a_published_json_schema():
    schemas = event_json_schemas()
    assert {"account.upserted", "content.created", "content.updated", "ad.submitted", "search.performed",
            "interaction", "report.filed", "appeal.filed"} <= set(schemas)
    content = schemas["content.created"]["properties"]["content"]
    assert {"id", "account_id", "text", "media", "views"} <= set(content["properties"])
    assert schemas["content.created"]["additionalProperties"] is True
