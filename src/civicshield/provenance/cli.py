"""`civicshield provenance …`: inspect files, hash them, sign them, and manage the media banks.

`inspect` is safe on any input: every file gets a record (with `error` set when it could not be
read) and the exit code is 0; only a usage error exits non-zero. `--json` prints one object per line
per file with the stable keys documented in docs/provenance.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from civicshield.core.errors import CivicShieldError, ProvenanceError

from .credentials import ProvenanceReport, TrustSettings, read_provenance

app = typer.Typer(help="Content Credentials, IPTC source types, PDQ media banks and signing.",
                  no_args_is_help=True)
TRUST_ENV = "CIVICSHIELD_C2PA_TRUST_ANCHORS"


def trust_from(paths: list[Path] | None) -> TrustSettings:
    """Trust anchors from `--trust` files, else from $CIVICSHIELD_C2PA_TRUST_ANCHORS (a PEM bundle path)."""
    files = list(paths or [])
    if not files and os.environ.get(TRUST_ENV):
        files = [Path(os.environ[TRUST_ENV])]
    try:
        return TrustSettings.from_files(*files)
    except OSError as exc:
        raise typer.BadParameter(f"cannot read trust anchors {exc.filename}: {exc.strerror}") from None


@app.command()
def inspect(files: List[Path] = typer.Argument(..., help="media files to inspect"),
            as_json: bool = typer.Option(False, "--json", help="one JSON object per line per file"),
            trust: Optional[List[Path]] = typer.Option(None, "--trust", help="PEM file of trusted root certificates")) -> None:
    """Report Content Credentials (or XMP source type) for each file; never fails on a bad file."""
    settings = trust_from(trust)
    reports = [_inspect_one(path, settings) for path in files]
    if as_json:
        for report in reports:
            typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    table = Table("file", "state", "AI", "source", "source types / error")
    for report in reports:
        detail = report.error or ", ".join(report.digital_source_types) or "-"
        table.add_row(str(report.file), report.validation_state, "yes" if report.ai_generated else "no",
                      report.source, detail)
    Console().print(table)


def _inspect_one(path: Path, settings: TrustSettings) -> ProvenanceReport:
    if path.is_dir():
        return ProvenanceReport(str(path), False, "error", error="is a directory, not a media file")
    try:
        return read_provenance(path, trust=settings)
    except Exception as exc:  # a per-file record, never a crash of the whole run
        return ProvenanceReport(str(path), False, "error", error=f"{type(exc).__name__}: {exc}")


@app.command("hash")
def hash_files(files: List[Path] = typer.Argument(..., help="images to hash"),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """PDQ hash and quality of each image, one per line (`<hash> <quality> <file>`)."""
    from .hashing import pdq_image

    for path in files:
        try:
            digest = pdq_image(path.read_bytes())
            record = {"file": str(path), "pdq": digest.hex, "quality": digest.quality, "error": None}
        except (OSError, ProvenanceError) as exc:
            record = {"file": str(path), "pdq": None, "quality": None, "error": str(exc)}
        if as_json:
            typer.echo(json.dumps(record))
        elif record["error"]:
            typer.echo(f"error {path}: {record['error']}", err=True)
        else:
            typer.echo(f"{record['pdq']} {record['quality']} {path}")


@app.command()
def sign(source: Path = typer.Argument(..., help="media file to sign"),
         dest: Path = typer.Argument(..., help="where to write the signed copy"),
         cert: Path = typer.Option(..., "--cert", help="PEM certificate chain (signer first)"),
         key: Path = typer.Option(..., "--key", help="PEM private key of the signer"),
         label: Optional[List[str]] = typer.Option(None, "--label", help="platform label to record (repeatable)"),
         policy_version: str = typer.Option("", "--policy-version")) -> None:
    """Attach Content Credentials recording the platform's label (default: ai_generated)."""
    from .signing import sign_file

    try:
        sign_file(source, dest, label or ["ai_generated"], cert, key, policy_version=policy_version)
    except CivicShieldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"signed {dest}")


bank_app = typer.Typer(help="PDQ media banks (ThreatExchange text form).", no_args_is_help=True)
app.add_typer(bank_app, name="bank")


def _django() -> None:
    from civicshield.site.bootstrap import setup_django

    setup_django()


@bank_app.command("list")
def bank_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Banks with their labels and number of hashes."""
    _django()
    from .models import MediaBank

    rows = [{"name": b.name, "labels": b.labels, "hashes": b.hashes.count()} for b in MediaBank.objects.order_by("name")]
    for row in rows:
        typer.echo(json.dumps(row) if as_json else f"{row['name']}\t{row['hashes']}\t{','.join(row['labels'])}")


@bank_app.command("import")
def bank_import(file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
                bank: str = typer.Option(..., "--bank", help="bank name, e.g. known_ai_generated"),
                label: Optional[List[str]] = typer.Option(None, "--label", help="label its matches carry")) -> None:
    """Import `pdq <hash> [metadata]` lines; bad lines are reported by number, good ones kept."""
    _django()
    from .banks import ensure_bank, import_text

    try:
        target = ensure_bank(bank, labels=label)
    except ProvenanceError as exc:
        raise typer.BadParameter(str(exc)) from None
    with file.open(encoding="utf-8", errors="replace") as lines:
        result, line_errors = import_text(target, lines)
    for error in line_errors:
        typer.echo(f"{file}:{error.line}: {error.reason}", err=True)
    typer.echo(f"{bank}: {result.added} added, {result.already} already banked, {len(line_errors)} lines skipped")


@bank_app.command("export")
def bank_export(bank: str = typer.Argument(...), out: Optional[Path] = typer.Option(None, "--out", "-o")) -> None:
    """Write a bank as ThreatExchange text (stdout by default)."""
    _django()
    from .banks import export_text
    from .models import MediaBank

    row = MediaBank.objects.filter(name=bank).first()
    if row is None:
        raise typer.BadParameter(f"no bank named {bank!r}")
    text = export_text(row)
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


@app.command()
def propagate(as_json: bool = typer.Option(False, "--json")) -> None:
    """Bank the media of items newly labelled AI-generated and label their stored near-duplicates."""
    _django()
    from civicshield.intake.context import current

    from .propagation import propagate_labels

    result = propagate_labels(current().policy.version)
    if as_json:
        typer.echo(json.dumps({"decisions_read": result.decisions_read, "hashes_banked": result.hashes_banked,
                               "labelled": result.labelled}))
    else:
        typer.echo(f"{result.decisions_read} decisions read, {result.hashes_banked} hashes banked, "
                   f"{len(result.labelled)} near-duplicates labelled")
