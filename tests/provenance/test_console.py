"""The media-bank console: who may see it, who may import, and a fact-checker importing in a browser."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicshield.provenance.models import BankedHash

LINES = f"pdq {'a' * 64} {{\"fact_check\": \"https://factcheck.example/42\"}}\npdq not-a-hash\n"


def _login(client, make_user, *roles):
    user = make_user(None, *roles)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_banks_page_needs_a_role(client, make_user):
    assert client.get("/console/provenance/").status_code in (302, 403)
    assert _login(client, make_user, "analyst").get("/console/provenance/").status_code == 403


@pytest.mark.django_db
def test_reviewer_sees_banks_but_cannot_import(client, make_user):
    reviewer = _login(client, make_user, "reviewer")
    assert reviewer.get("/console/provenance/").status_code == 200
    response = reviewer.post("/console/provenance/banks/import/",
                             {"bank": "known_misleading", "file": SimpleUploadedFile("b.txt", LINES.encode())})
    assert response.status_code == 403 and not BankedHash.objects.exists()


@pytest.mark.django_db
def test_fact_checker_imports_and_exports(client, make_user):
    checker = _login(client, make_user, "fact_checker")
    response = checker.post("/console/provenance/banks/import/",
                            {"bank": "known_misleading", "file": SimpleUploadedFile("b.txt", LINES.encode())},
                            follow=True)
    text = response.content.decode()
    assert "1 added" in text and "line 2" in text
    assert BankedHash.objects.get().fact_check_url == "https://factcheck.example/42"
    export = checker.get("/console/provenance/banks/known_misleading.txt")
    assert export.content.decode().startswith(f"pdq {'a' * 64}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_fact_checker_imports_a_bank_in_the_browser(logged_in_page, tmp_path):
    bank_file = tmp_path / "misleading.txt"
    bank_file.write_text(LINES)
    page, _ = logged_in_page("fact_checker")
    page.click("nav >> text=Media banks")
    page.fill("input[name=bank]", "known_misleading")
    page.set_input_files("input[name=file]", str(bank_file))
    page.click("button:has-text('Import')")
    page.wait_for_selector("text=1 added")
    assert "known_misleading" in page.inner_text("[data-testid=banks]")
    assert page.is_visible("text=line 2")
