"""Settings for Lider.

One module for every environment: what differs comes from environment variables, read by
the small helpers below, which fail loudly on a malformed value. Defaults suit a first run on
a laptop (SQLite, console e-mail, immediate tasks, DEBUG off).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


def env_date(name: str, default: str) -> datetime.date:
    value = os.environ.get(name) or default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a date (YYYY-MM-DD), not {value!r}.") from error


DATA_DIR = Path(env_str("LIDER_DATA_DIR", str(Path.cwd() / "var")))
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("DEBUG")
PRODUCTION = env_bool("LIDER_PRODUCTION")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS in production.")
else:
    # A fixed key is fine for a laptop demo; production refuses to start without its own.
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-do-not-use-in-production-lider")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "lider.core.errors.csrf_failure"

# No django.contrib.admin: its writes would bypass the services, their rules and the audit
# trail; everything an administrator does has a page in the back office instead.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "lider.core",
    "lider.territory",
    "lider.projects",
    "lider.jobs",
    "lider.people",
    "lider.recruitment",
    "lider.delivery",
    "lider.certification",
    "lider.outcomes",
    "lider.reporting",
    "lider.website",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lider.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lider.website.public_cache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lider.core.kept_pages.KeptPageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lider.core.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lider.core.errors.ErrorPageMiddleware",
    "lider.core.middleware.DocumentErrorMiddleware",
]

ROOT_URLCONF = "lider.urls"
WSGI_APPLICATION = "lider.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'lider.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once: the demo server and a command may overlap.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "LIDER_POSTGRES_JIT"
):
    # Lider's queries are short (OLTP); PostgreSQL's JIT compiles plans whose row estimates are
    # large and spent 0.6-0.9 s on queries that run in 30 ms (issue 15). Off per connection, so
    # it holds whatever the server's postgresql.conf says; LIDER_POSTGRES_JIT=1 leaves it on.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A read replica for reports and exports (lider.core.replica): same engine and options as the
# primary; in tests it mirrors the test database, so the routing is exercised on one database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 0)),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["lider.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        # Django's Redis cache, reusing one client per pool (lider.core.redis_cache).
        "default": {"BACKEND": "lider.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The public project and results pages are cached only in a cache every process shares: with
# a per-process memory cache, a change seen by one gunicorn worker would not reach the others.
LIDER_CACHE_PUBLIC_PAGES = env_bool("LIDER_CACHE_PUBLIC_PAGES", bool(REDIS_URL))
# Seconds a worker serves its in-memory copy of a public page before checking the shared cache's
# tokens again (lider.website.public_cache): the longest a change made elsewhere takes to show.
# 0, the default: checked on every request (one Redis round trip), a change shows at once.
LIDER_PUBLIC_PAGE_RECHECK = env_int("LIDER_PUBLIC_PAGE_RECHECK", 0)
# The roll-up and the indicators dashboard kept whole per worker for the signed-in user they
# were made for (lider.core.kept_pages): needs the shared cache, as the public pages do. With
# Redis the sessions are read from it too (written through to the database).
LIDER_CACHE_BACKOFFICE_PAGES = env_bool("LIDER_CACHE_BACKOFFICE_PAGES", bool(REDIS_URL))
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LIDER_SECOND_FACTOR_REQUIRED = "lider.projects.access.is_administrator"
# The same rule as an expression over the user's row: the user is loaded with it and with
# whether they have a confirmed device (lider.core.accounts), in the query that loads the
# user on every request anyway, so the gate asks nothing more and sees each change at once.
LIDER_SECOND_FACTOR_REQUIRED_EXPRESSION = "lider.projects.access.administrators"
# Who is an administrator of the installation (sees login locks, invites to any project).
LIDER_INSTALLATION_ADMINISTRATOR = "lider.projects.access.is_administrator"
AUTHENTICATION_BACKENDS = ["lider.core.accounts.NormalisedLoginBackend"]
# Login throttle (lider.core.accounts): failures per (login, address) pair and per address
# alone within the window.
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15)
LOGIN_FAILURES_PER_LOGIN = env_int("LOGIN_FAILURES_PER_LOGIN", 10)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 100)
# Behind a reverse proxy: the header it puts the client's address in (e.g. X-Forwarded-For)
# and how many proxies of ours stand in front. Off by default: without a proxy that sets it,
# anyone could send the header and pick their own address.
LIDER_CLIENT_ADDRESS_HEADER = env_str("LIDER_CLIENT_ADDRESS_HEADER", "")
LIDER_TRUSTED_PROXY_COUNT = env_int("LIDER_TRUSTED_PROXY_COUNT", 1)
OTP_TOTP_ISSUER = "Lider"
LOGIN_REDIRECT_URL = "website:after_login"
LOGOUT_REDIRECT_URL = "website:home"

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files (signed scans, import files waiting for confirmation, finished exports) go
# through Django's storage API only: on local disk by default, in an S3-compatible bucket
# shared by every web and worker machine when LIDER_S3_BUCKET is set. Credentials come from
# the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role), read by boto3.
LIDER_S3_BUCKET = env_str("LIDER_S3_BUCKET", "")
if LIDER_S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": LIDER_S3_BUCKET,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "location": env_str("LIDER_S3_PREFIX", ""),
            # Files hold personal data: private objects, never overwritten in place, and
            # served through Lider's permission-checked views, not by a public URL.
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "") or None,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lider@localhost")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per message
# in this folder (a test reads the links it was sent; a trial install keeps its mail).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "") or None

# Files made by background jobs (exports) are deleted this many hours after they are made.
LIDER_JOB_FILE_HOURS = env_int("LIDER_JOB_FILE_HOURS", 24)
# A running job whose worker has not reported for this long is marked failed (its worker died).
LIDER_JOB_STUCK_MINUTES = env_int("LIDER_JOB_STUCK_MINUTES", 30)
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}

# Security: strict by default; production adds HTTPS-only settings.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The public address used in QR codes and e-mails when there is no request to ask.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Who runs this installation, for the privacy page and the accessibility statement (the
# digital-accessibility act of 4 April 2019 requires the entity's name, the dates and a contact).
LIDER_OPERATOR = {
    "name": env_str("LIDER_OPERATOR_NAME", "Lider"),
    "address": env_str("LIDER_OPERATOR_ADDRESS", ""),
    "email": env_str("LIDER_OPERATOR_EMAIL", DEFAULT_FROM_EMAIL),
    "phone": env_str("LIDER_OPERATOR_PHONE", ""),
    "dpo_email": env_str("LIDER_DPO_EMAIL", ""),
    "accessibility_contact": env_str("LIDER_ACCESSIBILITY_CONTACT", ""),
    # ISO dates: the site's publication, its last significant update, the statement's
    # preparation and its last review (the statement is reviewed at least once a year).
    "published": env_date("LIDER_SITE_PUBLISHED", "2026-11-29"),
    "updated": env_date("LIDER_SITE_UPDATED", "2026-11-29"),
    "statement_prepared": env_date("LIDER_ACCESSIBILITY_PREPARED", "2026-11-29"),
    "statement_reviewed": env_date("LIDER_ACCESSIBILITY_REVIEWED", "2026-11-29"),
    "architecture": env_str("LIDER_ARCHITECTURAL_ACCESSIBILITY", ""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
