"""Bank hashes carry platform metadata stored verbatim: what no database stores is refused per item."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_unstorable_or_oversized_metadata_rejects_only_its_item(api_client):
    assert api_client.post("/api/v1/provenance/banks", {"name": "meta_bank"}).status_code == 201
    hashes = [{"pdq": "a" * 64, "quality": 90, "metadata": {"source": "partner"}},
              {"pdq": "b" * 64, "quality": 90, "metadata": {"score": float("nan")}},
              {"pdq": "c" * 64, "quality": 90, "metadata": {"count": 10**30}},
              {"pdq": "d" * 64, "quality": 90, "metadata": {"note": "x" * 5_000}},
              {"pdq": "e" * 64, "quality": 90}]
    response = api_client.post("/api/v1/provenance/banks/meta_bank/hashes", json.dumps({"hashes": hashes}))
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["added"] == 2
    reasons = {e["index"]: e["reason"] for e in body["errors"]}
    assert set(reasons) == {1, 2, 3}
    assert "NaN" in reasons[1] and "range" in reasons[2] and "4,096" in reasons[3]


def test_bank_labels_are_bounded(api_client):
    response = api_client.post("/api/v1/provenance/banks", {"name": "many_labels", "labels": ["x" * 101]})
    assert response.status_code == 422
    response = api_client.post("/api/v1/provenance/banks", {"name": "many_labels", "labels": ["ai_generated"] * 51})
    assert response.status_code == 422
