"""Production behind a TLS-terminating proxy: HTTPS is recognised from the trusted proxy's header, so
HSTS is sent and plain HTTP is redirected, and the client's own address keys the sign-in lockout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from django.contrib.auth.models import User
User.objects.create_user("rita", password="quiet-lantern-orbit-meadow")
def ask(path, method="get", **headers):
    response = getattr(Client(), method)(path, secure=False, **headers)
    return {"status": response.status_code, "location": response.get("Location", ""),
            "hsts": response.get("Strict-Transport-Security", "")}
out = {
    "https_via_proxy": ask("/", HTTP_X_FORWARDED_PROTO="https"),
    "plain_http": ask("/"),
    "healthz_plain": ask("/healthz"),
}
for n in range(10):
    Client().post("/accounts/login/", {"username": "rita", "password": "wrong"}, secure=True,
                  REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
from civicshield.site.models import LoginFailure
out["addresses"] = sorted(set(LoginFailure.objects.values_list("address", flat=True)))
print(json.dumps(out))
"""


def run_probe(tmp_path: Path, **env: str) -> dict:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "civicshield.site.settings",
                   "CIVICSHIELD_HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                   "CIVICSHIELD_ENV": "production", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "testserver", **env}
    done = subprocess.run([sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_behind_a_trusted_proxy_https_gets_hsts_and_plain_http_is_redirected(tmp_path):
    out = run_probe(tmp_path, CIVICSHIELD_TRUSTED_PROXY="1")
    assert out["https_via_proxy"]["status"] == 200 and "max-age=31536000" in out["https_via_proxy"]["hsts"]
    assert out["plain_http"]["status"] == 301 and out["plain_http"]["location"].startswith("https://")
    assert out["healthz_plain"]["status"] == 200
    assert out["addresses"] == [f"198.51.100.{n}" for n in range(10)]


def test_without_a_trusted_proxy_its_headers_are_not_believed(tmp_path):
    out = run_probe(tmp_path)
    assert out["https_via_proxy"]["status"] == 301 and not out["https_via_proxy"]["hsts"]
    assert out["addresses"] == ["10.0.0.2"]
