"""`civicshield provenance sign`: the platform's label travels with a re-encoded download."""

from __future__ import annotations

from typer.testing import CliRunner

from civicshield.provenance import TrustSettings, read_provenance
from civicshield.provenance.cli import app

from .conftest import picture

runner = CliRunner()


def _write_keys(tmp_path, pki):
    cert, key = tmp_path / "platform.pem", tmp_path / "platform.key"
    cert.write_text(pki.chain_pem)
    key.write_text(pki.key_pem)
    return cert, key


def test_signed_download_carries_the_ai_label(tmp_path, pki):
    cert, key = _write_keys(tmp_path, pki)
    source, dest = tmp_path / "download.jpg", tmp_path / "signed.jpg"
    source.write_bytes(picture(seed=2))
    result = runner.invoke(app, ["sign", str(source), str(dest), "--cert", str(cert), "--key", str(key)])
    assert result.exit_code == 0, result.output
    report = read_provenance(dest, trust=TrustSettings(pki.root_pem))
    assert report.validation_state == "trusted" and report.ai_generated
    assert report.manifests[0].claim_generator == "CivicShield"


def test_other_labels_do_not_claim_ai(tmp_path, pki):
    cert, key = _write_keys(tmp_path, pki)
    source, dest = tmp_path / "in.png", tmp_path / "out.png"
    source.write_bytes(picture(seed=3, fmt="PNG"))
    result = runner.invoke(app, ["sign", str(source), str(dest), "--cert", str(cert), "--key", str(key),
                                 "--label", "election_info_banner"])
    assert result.exit_code == 0, result.output
    report = read_provenance(dest)
    assert report.validation_state == "valid" and not report.ai_generated


def test_sign_errors_are_clear(tmp_path, pki):
    cert, key = _write_keys(tmp_path, pki)
    source = tmp_path / "in.jpg"
    source.write_bytes(picture())
    bad_key = tmp_path / "bad.key"
    bad_key.write_text("not a key")
    result = runner.invoke(app, ["sign", str(source), str(tmp_path / "o.jpg"), "--cert", str(cert),
                                 "--key", str(bad_key)])
    assert result.exit_code == 1 and "not an unencrypted PEM private key" in result.output
    missing = runner.invoke(app, ["sign", str(tmp_path / "nope.jpg"), str(tmp_path / "o.jpg"), "--cert", str(cert),
                                  "--key", str(key)])
    assert missing.exit_code == 1 and "no such file" in missing.output
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff garbage")
    bad_media = runner.invoke(app, ["sign", str(broken), str(tmp_path / "o.jpg"), "--cert", str(cert), "--key", str(key)])
    assert bad_media.exit_code == 1 and "could not sign" in bad_media.output
