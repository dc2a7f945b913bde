"""`civicshield provenance inspect`: one JSON record per file, never a crash on bad input."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from civicshield.provenance.cli import app

from .conftest import IPTC, picture, sign_image, tamper

KEYS = {"file", "has_manifest", "validation_state", "validation_codes", "digital_source_types",
        "ai_generated", "source", "error"}
runner = CliRunner()


def _records(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_inspect_reports_each_file_with_stable_keys(tmp_path, pki):
    files = {"ai.jpg": sign_image(pki, IPTC + "trainedAlgorithmicMedia"),
             "tampered.jpg": tamper(sign_image(pki, IPTC + "trainedAlgorithmicMedia")),
             "plain.jpg": picture(), "empty.jpg": b"", "junk.png": b"\x89PNG\r\n\x1a\n garbage"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    root = tmp_path / "root.pem"
    root.write_text(pki.root_pem)
    paths = [str(tmp_path / n) for n in files] + [str(tmp_path / "missing.jpg"), str(tmp_path)]
    result = runner.invoke(app, ["inspect", "--json", "--trust", str(root), *paths])
    assert result.exit_code == 0, result.output
    records = {r["file"].rsplit("/", 1)[-1]: r for r in _records(result)}
    assert all(set(r) == KEYS for r in records.values())
    assert records["ai.jpg"]["validation_state"] == "trusted" and records["ai.jpg"]["ai_generated"] is True
    assert records["tampered.jpg"]["validation_state"] == "invalid"
    assert records["plain.jpg"]["validation_state"] == "none" and records["plain.jpg"]["error"] is None
    assert records["empty.jpg"]["error"] == "empty file"
    assert records["missing.jpg"]["validation_state"] == "error"
    assert records[tmp_path.name]["error"].startswith("is a directory")
    assert records["junk.png"]["ai_generated"] is False


def test_inspect_without_files_is_a_usage_error():
    assert runner.invoke(app, ["inspect", "--json"]).exit_code != 0


def test_unreadable_trust_file_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["inspect", "--trust", str(tmp_path / "nope.pem"), str(tmp_path)])
    assert result.exit_code == 2


_SIGNED: dict[str, bytes] = {}


def _seed_files(pki) -> list[bytes]:
    if not _SIGNED:
        _SIGNED["signed"] = sign_image(pki, IPTC + "trainedAlgorithmicMedia")
        _SIGNED["plain"] = picture()
        _SIGNED["png"] = picture(fmt="PNG")
    return list(_SIGNED.values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.integers(0, 2), cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)),
                                                                      max_size=8), tail=st.binary(max_size=64))
def test_malformed_and_truncated_files_never_crash_inspect(tmp_path, pki, choice, cut, flips, tail):
    data = bytearray(_seed_files(pki)[choice])
    data = data[:int(len(data) * cut)]
    for where, mask in flips:
        if data:
            data[int(where * (len(data) - 1))] ^= mask
    target = tmp_path / "fuzz.jpg"
    target.write_bytes(bytes(data) + tail)
    result = runner.invoke(app, ["inspect", "--json", str(target)])
    assert result.exit_code == 0, result.output
    (record,) = _records(result)
    assert record["validation_state"] in {"none", "valid", "trusted", "invalid", "unverifiable", "error"}


def test_hash_prints_pdq_and_reports_bad_files(tmp_path):
    good, bad = tmp_path / "a.png", tmp_path / "b.jpg"
    good.write_bytes(picture(fmt="PNG"))
    bad.write_bytes(b"nope")
    result = runner.invoke(app, ["hash", "--json", str(good), str(bad)])
    assert result.exit_code == 0
    first, second = _records(result)
    assert len(first["pdq"]) == 64 and first["quality"] >= 50 and first["error"] is None
    assert second["pdq"] is None and "cannot decode" in second["error"]
