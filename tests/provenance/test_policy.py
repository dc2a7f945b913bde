"""What a creator and a platform see: labels, review queues and removals for AI media."""

from __future__ import annotations

from pathlib import Path

import pytest

import civicshield.policies
from civicshield.core.assess import NO_ELECTION, Context, assess
from civicshield.core.detectors import Registry
from civicshield.core.events import Content
from civicshield.core.policy import load_policy
from civicshield.provenance import TrustSettings

from .conftest import IPTC, picture, sign_image, tamper
from .test_detector import Bank

POLICY = load_policy(Path(civicshield.policies.__file__).parent / "default")
REGISTRY = Registry.from_entry_points(["election_relevance", "provenance", "media_match"])
ELECTION = dict(NO_ELECTION, upcoming=True, days_to_election=10, in_election_period=True, name="General")


@pytest.fixture(scope="module")
def root(tmp_path_factory, pki):
    path = tmp_path_factory.mktemp("media")
    (path / "ai.jpg").write_bytes(sign_image(pki, IPTC + "trainedAlgorithmicMedia"))
    (path / "algorithmic.jpg").write_bytes(sign_image(pki, IPTC + "algorithmicMedia"))
    (path / "camera.jpg").write_bytes(sign_image(pki, IPTC + "digitalCapture"))
    (path / "camera_tampered.jpg").write_bytes(tamper(sign_image(pki, IPTC + "digitalCapture")))
    (path / "ai_tampered.jpg").write_bytes(tamper(sign_image(pki, IPTC + "trainedAlgorithmicMedia")))
    (path / "copy.jpg").write_bytes(picture(seed=21))
    return path


def verdict(root, pki, *, path=None, text="Sunset at the beach", trusted=True, election=NO_ELECTION,
            bank=None, disclosed=False, figures=()):
    media = [{"id": "m1", "path": path, "self_disclosed_ai": disclosed}] if path or disclosed else []
    subject = Content.model_validate({"id": "p1", "account_id": "a1", "text": text, "media": media})
    resources = {"media_root": str(root), "public_figures": list(figures)}
    if trusted:
        resources["c2pa_trust"] = TrustSettings(pki.root_pem)
    if bank:
        resources["media_bank"] = bank
    return assess(subject, Context(POLICY, REGISTRY, None, election, None, resources))


@pytest.mark.parametrize("trusted", [True, False])
@pytest.mark.parametrize("name, labels", [("ai.jpg", ("ai_generated",)), ("ai_tampered.jpg", ("ai_generated",)),
                                          ("algorithmic.jpg", ()), ("camera.jpg", ()),
                                          ("camera_tampered.jpg", ())])
def test_label_comes_from_the_exact_source_type(root, pki, trusted, name, labels):
    result = verdict(root, pki, path=name, trusted=trusted)
    assert result.labels == labels
    state = result.signals["provenance"].evidence["validation_state"]
    expected = "invalid" if "tampered" in name else ("trusted" if trusted else "valid")
    assert state == expected


def test_unlabelled_ai_content_is_labelled_by_a_rule_that_tells_the_creator(root, pki):
    result = verdict(root, pki, path="ai.jpg")
    (reason,) = [r for r in result.reasons if r.rule_id == "provenance.ai_label"]
    assert "creator" in reason.explanation and result.actions == ("label",)


def test_creator_disclosure_gets_its_own_label(root, pki):
    assert verdict(root, pki, path="ai.jpg", disclosed=True).labels == ("ai_generated_self_disclosed",)
    assert verdict(root, pki, disclosed=True).labels == ("ai_generated_self_disclosed",)


def test_tampered_credentials_route_election_posts_to_review(root, pki):
    post = "Ballot boxes stuffed at the polling place on election day"
    assert verdict(root, pki, path="camera_tampered.jpg", text=post).queue == "ai_generated"
    assert verdict(root, pki, path="camera_tampered.jpg").queue is None
    assert verdict(root, pki, path="camera.jpg", text=post).queue is None


def test_ai_depiction_of_a_candidate_near_an_election_goes_to_review(root, pki):
    text = "Jane Roe caught taking cash"
    near = verdict(root, pki, path="ai.jpg", text=text, election=ELECTION, figures=["Jane Roe"])
    far = verdict(root, pki, path="ai.jpg", text=text, figures=["Jane Roe"])
    camera = verdict(root, pki, path="camera.jpg", text=text, election=ELECTION, figures=["Jane Roe"])
    assert near.queue == "ai_generated" and "ai_generated" in near.labels
    assert far.queue is None and camera.queue is None


def test_label_follows_a_reupload_and_misleading_voting_media_is_removed(root, pki):
    from civicshield.provenance.hashing import pdq_image
    digest = pdq_image(picture(seed=21)).hex
    labelled = Bank([{"hash": digest, "bank": "labelled_ai_generated", "labels": ["ai_generated"]}])
    assert verdict(root, pki, path="copy.jpg", bank=labelled).labels == ("ai_generated",)
    assert verdict(root, pki, path="copy.jpg").labels == ()
    misleading = Bank([{"hash": digest, "bank": "labelled_ai_generated", "labels": ["ai_generated"]},
                       {"hash": digest, "bank": "known_misleading", "labels": []}])
    result = verdict(root, pki, path="copy.jpg", bank=misleading, text="Vote by text message this year")
    assert "remove" in result.actions and result.queue == "fact_check"
