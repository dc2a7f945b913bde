"""Small builders for verification tests: evidence files and an approved official."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "certificate.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def submit(account_id: str, category: str = "politician", official_name: str = "Maria Alvarez", **fields: Any) -> Any:
    from civicshield.verification.evidence import check_documents
    from civicshield.verification.workflow import submit_request

    good, bad = check_documents([pdf()])
    assert not bad
    return submit_request(account_id=account_id, category=category, official_name=official_name, documents=good,
                          website=fields.pop("website", "https://senate.example.gov/alvarez"),
                          submitted_via="test", **fields)


def verify(account_id: str, verifier: Any, category: str = "politician", official_name: str = "Maria Alvarez") -> Any:
    from civicshield.verification.workflow import approve

    req = submit(account_id, category, official_name)
    return approve(req.pk, verifier, "Checked the state election commission list of senators.")
