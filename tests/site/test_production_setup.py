"""Production mode refuses the demo administrator, and new passwords are neither guessable nor typed on
the command line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from civicshield.cli import app

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.mark.parametrize("password", ["civicshield", "Election2026", "testuser01", "Civicshield2026!",
                                      "123456789012", "password1234"])
def test_guessable_passwords_are_refused(password, reference_data):
    from django.contrib.auth.models import User

    result = runner.invoke(app, ["createuser", "newcomer", "--role", "reviewer", "--password-stdin"],
                           input=password + "\n")
    assert result.exit_code == 2, result.output
    assert "This password" in result.output and not User.objects.filter(username="newcomer").exists()


def test_a_passphrase_read_from_standard_input_creates_the_user(reference_data):
    from django.contrib.auth import authenticate

    result = runner.invoke(app, ["createuser", "newcomer", "--role", "reviewer", "--password-stdin"],
                           input="quiet-lantern-orbit-meadow\n")
    assert result.exit_code == 0, result.output
    assert authenticate(username="newcomer", password="quiet-lantern-orbit-meadow") is not None


def test_a_password_similar_to_the_username_is_refused(reference_data):
    result = runner.invoke(app, ["createuser", "marianne.oduya", "--password-stdin"], input="marianneoduya\n")
    assert result.exit_code == 2 and "too similar" in result.output


def test_a_password_cannot_be_given_as_an_argument(reference_data):
    result = runner.invoke(app, ["createuser", "newcomer", "--password", "quiet-lantern-orbit-meadow"])
    assert result.exit_code != 0 and "No such option" in result.output


def test_the_demo_admin_is_refused_in_production_mode(tmp_path):
    env = {**os.environ, "CIVICSHIELD_ENV": "production", "SECRET_KEY": "x" * 50, "CIVICSHIELD_HOME": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}"}
    done = subprocess.run([sys.executable, "-m", "civicshield.cli", "setup", "--demo-admin", "--quiet"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "refused when CIVICSHIELD_ENV=production" in done.stderr
    assert "civicshield-demo" not in done.stderr + done.stdout
