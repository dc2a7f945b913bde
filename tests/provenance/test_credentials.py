"""Reading Content Credentials from real signed files, with and without our test root trusted."""

from __future__ import annotations

import pytest

from civicshield.provenance import TrustSettings, is_ai_source_type, read_provenance, source_type_term

from .conftest import IPTC, picture, sign_image, tamper, xmp_image

AI = IPTC + "trainedAlgorithmicMedia"
ALGORITHMIC = IPTC + "algorithmicMedia"
CAMERA = IPTC + "digitalCapture"


@pytest.fixture(scope="module")
def signed(pki):
    files = {"ai": sign_image(pki, AI), "algorithmic": sign_image(pki, ALGORITHMIC),
             "camera": sign_image(pki, CAMERA)}
    files.update({f"{name}_tampered": tamper(data) for name, data in list(files.items())})
    return files


@pytest.mark.parametrize("name, ai", [("ai", True), ("algorithmic", False), ("camera", False)])
def test_signed_image_without_trusted_root_is_valid_but_not_trusted(signed, name, ai):
    report = read_provenance(signed[name])
    assert report.has_manifest and report.source == "c2pa"
    assert report.validation_state == "valid"
    assert "signingCredential.untrusted" in report.validation_codes
    assert report.ai_generated is ai


@pytest.mark.parametrize("name, ai", [("ai", True), ("algorithmic", False), ("camera", False)])
def test_signed_image_with_trusted_root_is_trusted(signed, pki, name, ai):
    report = read_provenance(signed[name], trust=TrustSettings(pki.root_pem))
    assert report.validation_state == "trusted"
    assert report.validation_codes == ()
    assert report.ai_generated is ai
    assert report.manifests[0].active and report.manifests[0].signer.endswith("Test Signer")


@pytest.mark.parametrize("name, ai", [("ai_tampered", True), ("algorithmic_tampered", False),
                                      ("camera_tampered", False)])
@pytest.mark.parametrize("trusted", [False, True])
def test_tampered_copy_is_invalid_and_keeps_its_claims(signed, pki, name, ai, trusted):
    report = read_provenance(signed[name], trust=TrustSettings(pki.root_pem) if trusted else None)
    assert report.validation_state == "invalid"
    assert report.tampered
    assert "assertion.dataHash.mismatch" in report.validation_codes
    assert report.ai_generated is ai


def test_other_root_does_not_make_a_file_trusted(signed):
    from .conftest import make_pki
    other = make_pki("Some Other Root")
    report = read_provenance(signed["ai"], trust=TrustSettings(other.root_pem))
    assert report.validation_state == "valid"
    assert "signingCredential.untrusted" in report.validation_codes


def test_remote_manifest_is_never_fetched(pki):
    data = sign_image(pki, AI, remote_url="https://manifests.invalid/store.c2pa")
    report = read_provenance(data, trust=TrustSettings(pki.root_pem))
    assert report.validation_state == "unverifiable"
    assert report.validation_codes == ("manifest.inaccessible",)
    assert report.has_manifest and report.remote_url == "https://manifests.invalid/store.c2pa"
    assert report.ai_generated is False


def test_ingredient_manifests_are_read(pki):
    from civicshield.provenance.signing import sign_media
    original = sign_image(pki, AI)
    relabelled = sign_media(original, "image/jpeg", ["election_info_banner"], pki.chain_pem.encode(),
                            pki.key_pem.encode())
    report = read_provenance(relabelled, trust=TrustSettings(pki.root_pem))
    assert report.validation_state == "trusted"
    assert len(report.manifests) == 2
    ingredient = [m for m in report.manifests if not m.active][0]
    assert ingredient.digital_source_types == (AI,)
    assert report.ai_generated


def test_plain_image_has_no_provenance():
    report = read_provenance(picture())
    assert (report.has_manifest, report.validation_state, report.source, report.error) == (False, "none", "none", None)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_xmp_digital_source_type_is_the_fallback(fmt):
    report = read_provenance(xmp_image(AI, fmt))
    assert report.source == "xmp" and report.ai_generated and not report.has_manifest
    assert report.digital_source_types == (AI,)
    assert read_provenance(xmp_image(ALGORITHMIC, fmt)).ai_generated is False


def test_an_xmp_packet_declaring_an_unknown_encoding_reads_as_no_xmp():
    damaged = xmp_image(AI, "PNG", declaration='<?xml version="1.0" encoding="aTF-8"?>')
    report = read_provenance(damaged)
    assert (report.source, report.ai_generated, report.error) == ("none", False, None)


@pytest.mark.parametrize("value, ai", [
    ("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", True),
    ("https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", True),
    ("trainedAlgorithmicMedia", True),
    ("http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia", True),
    ("http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic", True),
    ("http://c2pa.org/digitalsourcetype/trainedAlgorithmicData", True),
    ("digsrctype:trainedAlgorithmicMedia", True),
    ("http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia", False),
    ("algorithmicMedia", False),
    ("TrainedAlgorithmicMedia", False),
    ("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMediaX", False),
    ("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", False),
    ("", False),
    (None, False),
])
def test_ai_semantics_use_the_exact_term(value, ai):
    assert is_ai_source_type(value) is ai


def test_term_is_the_last_uri_segment():
    assert source_type_term("https://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic/") == "compositeSynthetic"


def test_missing_file_is_a_per_file_error(tmp_path):
    report = read_provenance(tmp_path / "absent.jpg")
    assert report.validation_state == "error" and "cannot read file" in report.error
