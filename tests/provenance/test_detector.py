"""The provenance detectors on posts whose media live under a media root."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicshield.core.events import Content
from civicshield.provenance import TrustSettings
from civicshield.provenance.bank import HashIndex
from civicshield.provenance.detector import MediaMatchDetector, ProvenanceDetector
from civicshield.provenance.hashing import pdq_image

from .conftest import IPTC, picture, sign_image, tamper


def post(*media: dict, text: str = "look at this", **extra) -> Content:
    return Content.model_validate({"id": "c1", "account_id": "a1", "text": text, "media": list(media), **extra})


def run(subject, **resources):
    context = SimpleNamespace(resources=resources)
    signals = {}
    for detector in (ProvenanceDetector(), MediaMatchDetector()):
        for signal in detector.detect(subject, context, signals):
            signals[signal.name] = signal
    return signals


@pytest.fixture
def media_root(tmp_path, pki):
    (tmp_path / "ai.jpg").write_bytes(sign_image(pki, IPTC + "trainedAlgorithmicMedia"))
    (tmp_path / "tampered.jpg").write_bytes(tamper(sign_image(pki, IPTC + "digitalCapture")))
    (tmp_path / "plain.jpg").write_bytes(picture(seed=5))
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    return tmp_path


def test_ai_image_yields_provenance_signal_with_evidence(media_root, pki):
    signals = run(post({"id": "m1", "path": "ai.jpg"}), media_root=str(media_root),
                  c2pa_trust=TrustSettings(pki.root_pem))
    signal = signals["provenance"]
    assert signal.value is True
    assert signal.evidence["validation_state"] == "trusted" and not signal.evidence["tampered"]
    assert signal.evidence["items"][0]["pdq_quality"] >= 50


def test_tampered_image_is_flagged(media_root):
    signals = run(post({"id": "m1", "path": "tampered.jpg"}, {"id": "m2", "path": "plain.jpg"}),
                  media_root=str(media_root))
    assert signals["provenance"].value is False
    assert signals["provenance"].evidence["tampered"] is True
    assert signals["provenance"].evidence["validation_state"] == "invalid"


def test_self_disclosure_needs_no_media_root():
    signals = run(post({"id": "m1", "path": "x.jpg", "self_disclosed_ai": True}))
    assert signals["ai_self_disclosed"].value is True and "provenance" not in signals


@pytest.mark.parametrize("reference", ["../secret.jpg", "/etc/passwd", "https://example.org/a.jpg",
                                       "sub/../../x.jpg", "missing.jpg", "link.jpg"])
def test_paths_outside_the_media_root_are_refused(media_root, tmp_path_factory, reference):
    outside = tmp_path_factory.mktemp("outside") / "secret.jpg"
    outside.write_bytes(picture())
    os.symlink(outside, media_root / "link.jpg")
    signals = run(post({"id": "m1", "path": reference}), media_root=str(media_root))
    item = signals["provenance"].evidence["items"][0]
    assert item["validation_state"] == "error" and item["error"]
    assert "pdq" not in item


def test_broken_media_does_not_crash(media_root):
    signals = run(post({"id": "m1", "path": "broken.jpg"}), media_root=str(media_root))
    item = signals["provenance"].evidence["items"][0]
    assert item["validation_state"] == "error" and "pdq_error" in item


def test_public_figures_are_named_beside_media(media_root):
    from civicshield.verification.officials import Official, OfficialRegistry
    registry = OfficialRegistry([Official("acc1", "gov_smith", "Governor Smith", "government",
                                          official_name="Alex Smith")])
    with_media = run(post({"id": "m1", "path": "ai.jpg"}, text="Jane Roe and ALEX SMITH caught on camera"),
                     media_root=str(media_root), public_figures=["Jane Roe", "John Doe"],
                     **{"verification.officials": registry})
    text_only = run(post(text="Jane Roe caught on camera"), public_figures=["Jane Roe"])
    assert with_media["public_figures"].value == ["Alex Smith", "Jane Roe"]
    assert "public_figures" not in text_only


class Bank:
    def __init__(self, entries):
        self.entries = entries
        self.index = HashIndex.from_hex([e["hash"] for e in entries])

    def match(self, hashes):
        from civicshield.provenance.bank import hashes_to_array
        rows, found, distance = self.index.search(hashes_to_array(hashes))
        out = [[] for _ in hashes]
        for q, b, d in zip(rows, found, distance):
            entry = self.entries[int(b)]
            out[int(q)].append({"bank": entry["bank"], "labels": entry["labels"], "distance": int(d)})
        return out


def test_reupload_matches_the_bank_and_carries_its_label(media_root):
    banked = pdq_image(picture(seed=5)).hex
    bank = Bank([{"hash": banked, "bank": "known_ai_generated", "labels": ["ai_generated"]}])
    signals = run(post({"id": "m9", "path": "plain.jpg"}), media_root=str(media_root), media_bank=bank)
    assert signals["media_match"].value == ["known_ai_generated"]
    assert signals["media_match"].evidence["labels"] == ["ai_generated"]
    assert signals["media_match"].evidence["matches"][0]["distance"] == 0


def test_hash_sent_by_the_platform_is_matched_without_a_file():
    digest = "ab" * 32
    bank = Bank([{"hash": digest, "bank": "known_misleading", "labels": []}])
    signals = run(post({"id": "m1", "pdq": digest, "pdq_quality": 90}), media_bank=bank)
    assert signals["media_match"].value == ["known_misleading"]
    low = run(post({"id": "m1", "pdq": digest, "pdq_quality": 20}), media_bank=bank)
    assert "media_match" not in low


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2048), prefix=st.sampled_from([b"", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n",
                                                               b"RIFF\x00\x00\x00\x00WEBP", b"GIF89a"]))
def test_fuzzed_media_never_crashes_the_detector(tmp_path, data, prefix):
    (tmp_path / "f.jpg").write_bytes(prefix + data)
    signals = run(post({"id": "m1", "path": "f.jpg"}), media_root=str(tmp_path))
    assert signals["provenance"].evidence["items"][0]["validation_state"] in {"none", "error", "invalid", "valid"}


def _video(seeds: list[int]) -> bytes:
    import io

    import av
    from PIL import Image

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = 160, 160, "yuv420p"
        for seed in seeds:
            frame = av.VideoFrame.from_image(Image.open(io.BytesIO(picture(seed=seed, size=160))))
            for _ in range(5):
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def test_video_frames_are_hashed_and_matched(tmp_path):
    (tmp_path / "clip.mp4").write_bytes(_video([31, 32, 33]))
    (tmp_path / "broken.mp4").write_bytes(_video([31])[:300])
    banked = pdq_image(picture(seed=32, size=160)).hex
    bank = Bank([{"hash": banked, "bank": "known_misleading", "labels": []}])
    signals = run(post({"id": "v1", "type": "video", "path": "clip.mp4"}, {"id": "v2", "type": "video",
                                                                            "path": "broken.mp4"}),
                  media_root=str(tmp_path), media_bank=bank)
    clip, broken = signals["provenance"].evidence["items"]
    assert len(clip["pdq_frames"]) == 3
    assert "pdq_error" in broken or broken.get("pdq_frames") == []
    assert signals["media_match"].value == ["known_misleading"]
    assert signals["media_match"].evidence["matches"][0]["media_id"] == "v1"
