"""`civicshield provenance bank …` and `propagate` against the real database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from civicshield.provenance.cli import app

runner = CliRunner()


@pytest.mark.django_db
def test_import_list_export_round_trip(tmp_path):
    source = tmp_path / "bank.txt"
    source.write_text(f"pdq {'c' * 64} {{\"quality\": 80}}\n{'d' * 64},20,flat.jpg\nmd5 abc\n")
    result = runner.invoke(app, ["bank", "import", str(source), "--bank", "known_ai_generated"])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "bank.txt:2: quality 20" in result.output and "bank.txt:3" in result.output
    listing = runner.invoke(app, ["bank", "list", "--json"])
    assert json.loads(listing.output.splitlines()[0]) == {"name": "known_ai_generated", "labels": ["ai_generated"],
                                                          "hashes": 1}
    out = tmp_path / "out.txt"
    assert runner.invoke(app, ["bank", "export", "known_ai_generated", "-o", str(out)]).exit_code == 0
    assert out.read_text() == f'pdq {"c" * 64} {{"quality": 80}}\n'
    assert runner.invoke(app, ["bank", "export", "nope"]).exit_code == 2
    assert runner.invoke(app, ["bank", "import", str(source), "--bank", "x", "--label", "bogus"]).exit_code == 2


@pytest.mark.django_db
def test_propagate_with_an_empty_log(reference_data):
    result = runner.invoke(app, ["propagate", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"decisions_read": 0, "hashes_banked": 0, "labelled": []}
