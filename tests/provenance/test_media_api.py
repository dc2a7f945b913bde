"""A platform uploads media, posts it, and sees the label follow the image to a re-upload."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import ev_content

from .conftest import IPTC, picture, sign_image


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch, pki):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    anchors = tmp_path / "anchors.pem"
    anchors.write_text(pki.root_pem)
    monkeypatch.setenv("CIVICSHIELD_C2PA_TRUST_ANCHORS", str(anchors))
    return tmp_path / "media"


def upload(api_client, data: bytes, name: str = "photo.jpg", key: str | None = "default"):
    headers = {} if key is None else {"Authorization": f"Bearer {api_client.key}"}
    return api_client.client.post("/api/v1/provenance/media",
                                  data={"file": SimpleUploadedFile(name, data, "application/octet-stream")},
                                  headers=headers)


def reencoded(data: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).resize((150, 150)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_upload_reports_provenance_and_hash(api_client, media_root, pki):
    response = upload(api_client, sign_image(pki, IPTC + "trainedAlgorithmicMedia", picture(seed=4, size=200)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mime"] == "image/jpeg" and body["path"].startswith("uploads/")
    assert body["provenance"]["validation_state"] == "trusted" and body["provenance"]["ai_generated"] is True
    assert body["pdq_quality"] >= 50 and (media_root / body["path"]).is_file()
    again = upload(api_client, sign_image(pki, IPTC + "trainedAlgorithmicMedia", picture(seed=4, size=200)))
    assert again.status_code == 201
    assert api_client.get(f"/api/v1/provenance/media/{body['sha256']}").json()["path"] == body["path"]


@pytest.mark.django_db
def test_video_upload_records_frame_hashes(api_client, media_root):
    from .test_detector import _video

    body = upload(api_client, _video([41, 42]), "clip.mp4").json()
    assert body["mime"] == "video/mp4" and len(body["provenance"]["pdq_frames"]) == 2


@pytest.mark.django_db
def test_upload_limits(api_client, media_root, monkeypatch):
    assert upload(api_client, b"plain text, not media", "notes.jpg").status_code == 415
    assert upload(api_client, b"").status_code == 400
    monkeypatch.setenv("CIVICSHIELD_MEDIA_MAX_BYTES", "1000")
    response = upload(api_client, picture(size=300))
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    assert upload(api_client, picture(), key=None).status_code == 401


@pytest.mark.django_db
def test_banks_api_reports_bad_items_and_keeps_good_ones(api_client):
    assert api_client.post("/api/v1/provenance/banks", {"name": "known_misleading"}).status_code == 201
    bad_label = api_client.post("/api/v1/provenance/banks", {"name": "x-bank", "labels": ["nope"]})
    assert bad_label.status_code == 422
    response = api_client.post("/api/v1/provenance/banks/known_misleading/hashes", {"hashes": [
        {"pdq": "a" * 64, "quality": 90, "fact_check_url": "https://factcheck.example/1"},
        {"pdq": "zz"}, {"pdq": "b" * 64, "quality": 10}, {"pdq": "A" * 64}]})
    body = response.json()
    assert body["added"] == 1 and body["already_banked"] == 1
    assert [(e["index"], e["reason"].split(" ")[0]) for e in body["errors"]] == [(1, "pdq"), (2, "quality")]
    export = api_client.get("/api/v1/provenance/banks/known_misleading/export")
    assert export.content.decode() == f'pdq {"a" * 64} {{"fact_check": "https://factcheck.example/1", "quality": 90}}\n'


@pytest.mark.django_db
def test_ai_post_is_labelled_notified_and_the_label_follows_a_stripped_reupload(api_client, ingest, media_root,
                                                                                  pki):
    from civicshield.decisions.models import OutboxMessage
    from civicshield.decisions.state import subject_state
    from civicshield.intake.context import current
    from civicshield.provenance.propagation import propagate_labels

    original = picture(seed=9, size=240)
    stored = upload(api_client, sign_image(pki, IPTC + "trainedAlgorithmicMedia", original)).json()
    earlier_copy = upload(api_client, reencoded(original), "copy.png").json()
    ingest([ev_content("early", text="Sunset", media=[{"id": "m0", "path": earlier_copy["path"]}])])
    assert subject_state("content", "early").labels == []

    ingest([ev_content("p1", text="Sunset", media=[{"id": "m1", "path": stored["path"]}])])
    assert subject_state("content", "p1").labels == ["ai_generated"]
    notice = [m for m in OutboxMessage.objects.all() if m.payload["subject"]["id"] == "p1"]
    assert notice and notice[0].payload["rule_id"] == "provenance.ai_label"

    result = propagate_labels(current().policy.version)
    assert result.hashes_banked == 1
    assert [r["subject"] for r in result.labelled] == ["content:early"]
    assert subject_state("content", "early").labels == ["ai_generated"]

    later = upload(api_client, reencoded(original)[:-1] + b"\x00", "again.png").json()
    ingest([ev_content("p2", text="Sunset again", media=[{"id": "m2", "path": later["path"]}])])
    assert subject_state("content", "p2").labels == ["ai_generated"]
    assert propagate_labels(current().policy.version).labelled == []


@pytest.mark.django_db
def test_media_path_outside_the_root_never_crashes_intake(ingest, media_root):
    result = ingest([ev_content("p9", media=[{"id": "m", "path": "../../etc/passwd"}])])
    assert not result.errors
