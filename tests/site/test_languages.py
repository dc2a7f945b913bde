"""Public pages in the voters' languages: every string translated, the reader's choice honoured and
remembered, `lang` and `dir` right, and an unknown language code falling back without an error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

import civicshield

PACKAGE = Path(civicshield.__file__).resolve().parent
RIGHT_TO_LEFT = {"ar", "he", "ur"}


def _locale_dir(code: str) -> str:
    return translation.to_locale(code)


@pytest.fixture(scope="module")
def fresh_templates(tmp_path_factory) -> Path:
    """The message templates (.pot) the current code and templates would give: the catalogues are
    compared with these, so a string added to a page without its translations fails here."""
    if shutil.which("msgcmp") is None:
        pytest.fail("gettext is not installed: `make install` installs it")
    copy = tmp_path_factory.mktemp("source") / "civicshield"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "data", "static"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civicshield.site.settings"}
    done = subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--keep-pot", "--no-location",
                           "--ignore", "*/tests/*"], cwd=copy, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return copy


def test_every_public_string_has_a_translation_in_every_served_language(fresh_templates: Path) -> None:
    templates = sorted(fresh_templates.rglob("locale/django.pot"))
    assert len(templates) >= 2  # the project's catalogue and the Election Center's
    missing = []
    for template in templates:
        shipped = PACKAGE / template.parent.relative_to(fresh_templates)
        for code, _ in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            catalogue = shipped / _locale_dir(code) / "LC_MESSAGES" / "django.po"
            if not catalogue.exists():
                missing.append(f"{catalogue} is absent")
                continue
            compared = subprocess.run(["msgcmp", str(catalogue), str(template)], capture_output=True, text=True)
            if compared.returncode:
                missing.append(f"{catalogue.relative_to(PACKAGE)}:\n{compared.stderr.strip()[:2000]}")
    assert not missing, "\n".join(missing)


def test_at_least_twenty_languages_are_served_with_their_writing_direction() -> None:
    codes = [code for code, _ in settings.LANGUAGES]
    assert len(codes) >= 20
    for required in ("en", "es", "pt", "fr", "de", "it", "pl", "tr", "ar", "hi", "bn", "id", "ms", "fil", "ko",
                     "zh-hant", "ja", "uk", "sw", "he"):
        assert required in codes
    assert {c for c in codes if translation.get_language_info(c)["bidi"]} == RIGHT_TO_LEFT


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["es", "ar", "zh-hant", "fil", "hi"])
def test_a_chosen_language_is_served_with_lang_and_dir_and_remembered(client, code: str) -> None:
    page = client.get(f"/?lang={code}")
    body = page.content.decode()
    direction = "rtl" if code in RIGHT_TO_LEFT else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in body
    assert page["Content-Language"] == code
    with translation.override(code):
        assert translation.gettext("Skip to content") in body
        assert translation.gettext("Skip to content") != "Skip to content"
    # the next page, without ?lang=, keeps the choice
    follow = client.get("/transparency/").content.decode()
    assert f'<html lang="{code}"' in follow


@pytest.mark.django_db
def test_the_browser_language_is_used_and_an_unknown_code_falls_back(client) -> None:
    assert '<html lang="pt"' in client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9").content.decode()
    for junk in ("xx", "../../etc", "e" * 200, "zz-ZZ"):
        page = client.get("/", {"lang": junk})
        assert page.status_code == 200 and '<html lang="en" dir="ltr">' in page.content.decode()


@pytest.mark.django_db
def test_every_public_page_offers_every_language_with_hreflang(client) -> None:
    for path in ("/", "/transparency/", "/ads/library/", "/elections/", "/verification/registry/",
                 "/influence/reports/"):
        body = client.get(path, {"lang": "de"}).content.decode()
        for code, _ in settings.LANGUAGES:
            assert f'hreflang="{code}"' in body, (path, code)
        assert 'data-testid="language-switcher"' in body, path
