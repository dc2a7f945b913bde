"""The one settings module. Everything comes from the environment, with defaults for embedded mode.

CIVICSHIELD_HOME (default ./var) holds the SQLite database, media and indices; DATABASE_URL switches
to PostgreSQL; SECRET_KEY must be set in production (CIVICSHIELD_ENV=production refuses to start
without it). Capability apps are discovered: every `civicshield/<name>/apps.py` is installed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("CIVICSHIELD_HOME", Path.cwd() / "var")).resolve()
PRODUCTION = os.environ.get("CIVICSHIELD_ENV") == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when CIVICSHIELD_ENV=production")
    SECRET_KEY = "embedded-mode-only-not-secret"
DEBUG = os.environ.get("CIVICSHIELD_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Claim matching's sentence encoder: `use` (fast) or `e5` (stronger, slower); see docs/factchecks.md.
FACTCHECK_ENCODER = os.environ.get("CIVICSHIELD_FACTCHECK_ENCODER", "use")


def _capability_apps() -> list[str]:
    names = sorted(p.parent.name for p in PACKAGE_DIR.glob("*/apps.py") if p.parent.name not in ("site", "core"))
    return [f"civicshield.{name}" for name in names]


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    "civicshield.site",
    *_capability_apps(),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "civicshield.site.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civicshield.site.locale.PublicLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civicshield.site.middleware.SecurityHeadersMiddleware",
    "civicshield.observability.metrics.RequestTimingMiddleware",
]

ROOT_URLCONF = "civicshield.site.urls"
WSGI_APPLICATION = "civicshield.site.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "django.template.context_processors.i18n",
        "civicshield.site.navigation.navigation",
        "civicshield.site.locale.language_links",
    ], "builtins": ["civicshield.site.templatetags.display"]},
}]

_default_db = f"sqlite:///{HOME / 'civicshield.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, like embedded mode does, so concurrent writers meet SQLite's real locking.
    # One file per test process, so concurrent test runs never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"civicshield-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": os.environ.get(
    "CIVICSHIELD_TASK_BACKEND",
    "django_tasks.backends.immediate.ImmediateBackend",
)}}

AUTHENTICATION_BACKENDS = ["civicshield.site.lockout.LockoutBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "civicshield.site.passwords.GuessableWordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "console-home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The public pages' languages: the covered elections' official languages and the platforms' largest
# audiences (docs/i18n.md). Filipino is not in Django's own list, so it is described here.
LANG_INFO["fil"] = {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"}
LANGUAGES = [
    ("en", "English"), ("es", "Spanish"), ("pt", "Portuguese"), ("fr", "French"), ("de", "German"),
    ("it", "Italian"), ("pl", "Polish"), ("tr", "Turkish"), ("ar", "Arabic"), ("hi", "Hindi"),
    ("bn", "Bengali"), ("id", "Indonesian"), ("ms", "Malay"), ("fil", "Filipino"), ("ko", "Korean"),
    ("zh-hant", "Traditional Chinese"), ("ja", "Japanese"), ("uk", "Ukrainian"), ("sw", "Swahili"),
    ("he", "Hebrew"), ("ur", "Urdu"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "civicshield_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
MEDIA_ROOT = Path(os.environ.get("CIVICSHIELD_MEDIA_ROOT", HOME / "media"))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy, CIVICSHIELD_TRUSTED_PROXY=1 believes its X-Forwarded-Proto (so HTTPS
# is recognised, HSTS sent and plain HTTP redirected) and its X-Forwarded-For (the client's address for
# sign-in lockouts and rate limits). Never set it when clients can reach the app directly.
TRUSTED_PROXY = os.environ.get("CIVICSHIELD_TRUSTED_PROXY", "0") == "1"
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    RATELIMIT_IP_META_KEY = "civicshield.site.proxy.client_address"
# Production redirects plain HTTP to HTTPS (health checks and metrics scrapes excepted) and sends HSTS.
SECURE_SSL_REDIRECT = os.environ.get("CIVICSHIELD_HTTPS_REDIRECT", "1" if PRODUCTION else "0") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("CIVICSHIELD_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))

# Rate limits need a cache every web process shares: Redis in production, process memory when embedded.
_redis = os.environ.get("CIVICSHIELD_REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis} if _redis
          else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_VIEW = "civicshield.site.views.rate_limited"
# Embedded mode is one process, so its memory cache is the shared cache rate limits need.
SILENCED_SYSTEM_CHECKS = [] if _redis else ["django_ratelimit.E003", "django_ratelimit.W001"]

CIVICSHIELD = {
    "POLICY_DIR": os.environ.get("CIVICSHIELD_POLICY_DIR", str(PACKAGE_DIR / "policies" / "default")),
    "DETECTORS": [d for d in os.environ.get("CIVICSHIELD_DETECTORS", "").split(",") if d] or None,
    "MAX_BATCH": 1000,
    "API_RATE": os.environ.get("CIVICSHIELD_API_RATE", "1200/m"),
    # Characters of text one API key may ask detectors to read per minute (0: no limit).
    "API_TEXT_RATE": int(os.environ.get("CIVICSHIELD_API_TEXT_RATE", "20000000")),
    # Failed sign-ins before a lock: per account, and (looser) per client address.
    "LOGIN_RATE": os.environ.get("CIVICSHIELD_LOGIN_RATE", "10/15m"),
    "LOGIN_ADDRESS_RATE": os.environ.get("CIVICSHIELD_LOGIN_ADDRESS_RATE", "50/15m"),
    "TRUSTED_PROXY": TRUSTED_PROXY,
    "WEBHOOK_TIMEOUT_SECONDS": float(os.environ.get("CIVICSHIELD_WEBHOOK_TIMEOUT", "5")),
}

from civicshield.observability.logs import logging_config  # noqa: E402

LOGGING = logging_config(os.environ.get("CIVICSHIELD_LOG_LEVEL", "WARNING"),
                         json_logs=os.environ.get("CIVICSHIELD_LOG_FORMAT", "json" if PRODUCTION else "text") == "json")
