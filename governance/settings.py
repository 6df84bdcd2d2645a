"""Settings, read from the environment (see README "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from governance.env import (
    env_addresses,
    env_bool,
    env_clock,
    env_header,
    env_int,
    env_list,
    env_networks,
    env_origins,
    env_rate,
    env_secret_key,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# The embedded default (no DATABASE_URL: a SQLite file) is a development setup, so DEBUG
# defaults on there and off wherever a real database is configured.
DEBUG = env_bool("DEBUG", default="DATABASE_URL" not in os.environ)

# A development key is allowed only while DEBUG is on; with DEBUG off a short key or a placeholder
# (the README once said SECRET_KEY=change-me) is refused at start-up (issue 11).
SECRET_KEY = env_secret_key(
    "SECRET_KEY", development_key="dev-only-insecure-key-do-not-use-in-production" if DEBUG else None
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "governance.apps.GovernanceAdminConfig",  # Django's admin with this project's site (admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "axes",
    "import_export",
    # The intake API (issue 17): Django REST framework, its OpenAPI schema, and the schema's
    # documentation pages with their scripts served from here (no CDN).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "governance.apps.GovernanceConfig",
    "staffing.apps.StaffingConfig",
    "cases.apps.CasesConfig",
    "governance.api.apps.ApiConfig",
]

MIDDLEWARE = [
    # First: every response and log line of a request carries its id (issue 11).
    "governance.request_ids.RequestIdMiddleware",
    # /healthz for the load balancer, before the host check, HTTPS redirect and session (issue 11).
    "governance.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the admin's CSS and JavaScript in production (collectstatic first; README).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (the session and user come from the primary): lists read the replica.
    "governance.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "governance.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", BASE_DIR / "governance" / "spreadsheets" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "governance.wsgi.application"

_ALLOWED_DB_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


def _database_from_url(url: str) -> dict:
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not understood: {error}") from None
    if config.get("ENGINE") not in _ALLOWED_DB_ENGINES:
        raise ImproperlyConfigured("DATABASE_URL must be sqlite:///… or postgres://… (psycopg 3).")
    if config["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DATABASE_JIT", default=False):
        # PostgreSQL's JIT compiles the admin's short list queries at a cost larger than their run
        # (measured: a million-case list 6.2 s with it, 3.4 s without; bench/README.md).
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {
    "default": _database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
# A read replica for the lists and dashboards (governance.replica); tests mirror it onto the primary.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {**_database_from_url(env_str("DATABASE_REPLICA_URL")), "TEST": {"MIRROR": "default"}}
DATABASE_REPLICA_READS = env_bool("DATABASE_REPLICA_READS", True)
DATABASE_ROUTERS = ["governance.replica.ReplicaRouter"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "governance.permissions_backend.OneQueryModelBackend",  # ModelBackend in one query a request
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout (django-axes): five failures lock a username from that address for an hour. The
# address is the client's, read through our own proxies only (governance/client_address.py), or
# behind a load balancer one attacker locks a username for everyone (issue 11).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "governance.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "governance.errors.locked_out"  # a Chinese page, not axes' English line
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# django-guardian: grants go to groups that stand for (unit, role); no anonymous user.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "governance" / "spreadsheets" / "locale"]
FORMAT_MODULE_PATH = ["governance.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# With DEBUG off the app serves its own static files through WhiteNoise: compressed, under hashed
# names that browsers may cache for ever (`manage.py collectstatic` writes them and the manifest).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "admin:login"
CSRF_FAILURE_VIEW = "governance.errors.csrf_failure"

# Spreadsheet imports (docs/imports.md). Larger uploads run as a Celery task; with no broker
# configured (the embedded default) the same task runs in-process.
# Sessions and the cache in Redis when it is configured, so any app process serves any user
# (DESIGN.md §5); otherwise sessions in the database and a per-process cache (the embedded default).
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
# The periodic work under Celery beat (governance.celery); the management commands stay for cron.
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 300, minimum=1)
# How long the home page's picture of an area is kept before it is counted again (issue 13); 0: never kept.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300, minimum=0)
# How often Celery beat counts those figures again for everyone signed in lately, before they expire
# (governance.dashboard_refresh, issue 12); 0: never, each area counted on its first visit instead.
DASHBOARD_REFRESH_SECONDS = env_int("DASHBOARD_REFRESH_SECONDS", 240, minimum=0)
# Office hours, Beijing time (TIME_ZONE): a case raised outside them starts counting at the next
# working day's opening, and every due falls at a working day's close (cases.deadlines, issue 14).
WORKDAY_OPENS = env_clock("WORKDAY_OPENS", "08:30")
WORKDAY_CLOSES = env_clock("WORKDAY_CLOSES", "17:30")
if WORKDAY_OPENS >= WORKDAY_CLOSES:
    raise ImproperlyConfigured(
        f"WORKDAY_OPENS ({WORKDAY_OPENS:%H:%M}) must be before WORKDAY_CLOSES ({WORKDAY_CLOSES:%H:%M})."
    )
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 5000, minimum=1)
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024, minimum=1)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000, minimum=1)
# An .xlsx is a zip: a 2 KB upload can claim gigabytes once unpacked (issue 11.5). Its parts are
# checked before any parser runs, and it is parsed in a child process with these limits
# (governance/spreadsheets/xlsx_child.py, docs/imports.md "Files that claim too much").
# The largest real part is the sheet: 200,000 rows × 12 columns unpack to 141 MB (13:1), a
# sheet formatted down to row 1,048,576 to 340 MB; Apache POI refuses ratios above 100 too.
IMPORT_XLSX_MAX_MEMBERS = env_int("IMPORT_XLSX_MAX_MEMBERS", 1000, minimum=1)
IMPORT_XLSX_MAX_MEMBER_BYTES = env_int("IMPORT_XLSX_MAX_MEMBER_BYTES", 400 * 1024 * 1024, minimum=1)
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024, minimum=1)
IMPORT_XLSX_MAX_RATIO = env_int("IMPORT_XLSX_MAX_RATIO", 100, minimum=1)
IMPORT_XLSX_MAX_COLUMNS = env_int("IMPORT_XLSX_MAX_COLUMNS", 100, minimum=1)
# The reading process's address space: 200,000 rows × 12 columns need about 530 MB.
IMPORT_XLSX_READ_MEMORY_BYTES = env_int("IMPORT_XLSX_READ_MEMORY_BYTES", 2048 * 1024 * 1024, minimum=64 * 1024 * 1024)
# A small file is read while the clerk waits: keep this under the WSGI server's timeout (gunicorn: 30 s).
IMPORT_XLSX_READ_SECONDS = env_int("IMPORT_XLSX_READ_SECONDS", 20, minimum=1)
# Uploads and failed-rows files hold ID numbers and phones: `manage.py purge_import_files` deletes
# them this many days after their job ended (an unconfirmed preview expires after as long).
IMPORT_FILES_KEPT_DAYS = env_int("IMPORT_FILES_KEPT_DAYS", 30, minimum=1)
# A queued, running or writing job not heard of for this long lost its process: the purge marks
# it failed, and deletes upload files no job names once they are this old (issue 11.9). Queued
# jobs wait behind others, so this is hours, not the minute a 200,000-row import takes.
IMPORT_JOB_STUCK_HOURS = env_int("IMPORT_JOB_STUCK_HOURS", 6, minimum=1)
# Uploads above this are spooled to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# HTTPS (issue 11; docs/operations.md). TLS usually ends at the load balancer: it must say so in
# SECURE_PROXY_SSL_HEADER (e.g. X-Forwarded-Proto), or every request looks like plain HTTP, the
# redirect below loops and the CSRF check refuses every POST (the page's origin is https://…).
# CSRF_TRUSTED_ORIGINS is for origins other than the host the request names (e.g. a proxy that
# rewrites Host). includeSubDomains and preload bind every host under the domain, for a year:
# on only when asked.
_proxy_ssl_header = env_header("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Logs go to stderr (the process manager or container keeps them), each line with its request's id
# and client address, tracebacks included; errors are also mailed to ADMINS when set. Issue 11: with
# DEBUG off there was no LOGGING, so Django logged server errors to nobody.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "governance.request_ids.RequestIdFilter"},
        "debug_off": {"()": "django.utils.log.RequireDebugFalse"},
        "not_a_health_probe": {"()": "governance.health.NotAHealthProbe"},
    },
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s %(client)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "line"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["debug_off", "request_id"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},  # and on to stderr
        "django.request": {"filters": ["not_a_health_probe"]},
        # Scanners ask for hosts we do not serve all day: logged, never mailed.
        "django.security.DisallowedHost": {"handlers": ["stderr"], "propagate": False},
        # Failures and lockouts are warnings; axes' INFO is a banner at every start and a line per login.
        "axes": {"level": "WARNING"},
    },
}
# ``张三 <zhang@example.cn>,李四 <li@example.cn>``; none: no mail.
ADMINS = env_addresses("ADMINS")
DEFAULT_EXCEPTION_REPORTER_FILTER = "governance.error_reports.PostedValuesHidden"
SERVER_EMAIL = env_str("SERVER_EMAIL", "root@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (port 465), not both.")
# An error mail is sent while the failed request waits: a dead mail server must not hold it long.
EMAIL_TIMEOUT = 10

# A session ends when the browser closes and after a working day without a request (issue 11:
# they lasted two weeks). Each request moves the end forward, so a day's work never times out.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 8 * 60, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True

# The intake API (issue 17; docs/api.md). Callers are systems with a token (governance.api.clients),
# scoped like users; every error is JSON with a code and a message in the request's language.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["governance.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["governance.api.capabilities.HoldsCapability"],
    "DEFAULT_THROTTLE_CLASSES": ["governance.api.throttling.ApiClientThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["governance.api.parsers.StrictJSONParser", "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "governance.api.errors.api_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grassroots governance intake API",
    "DESCRIPTION": (
        "Raise cases and log service requests for townships, follow them by their reference or by what "
        "changed since a moment, and read the catalogues and the unit tree. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, wherever it appears.
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.models.CaseState",
        "AssignmentStateEnum": "cases.models.AssignmentState",
        "ServiceRequestStateEnum": "cases.models.ServiceRequestState",
        "DeskEnum": "cases.models.DeskLevel",
        "SectorEnum": "governance.models.Sector",
        "CaseStepStateEnum": "governance.api.cases.STEP_STATES",
    },
}
# Default calls per client (a client may have its own rate). Counts are kept in the cache: shared by
# every process when it is Redis (CACHE_URL), or in the Redis database API_THROTTLE_REDIS_URL names.
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "600/min")
_throttle_redis = env_str("API_THROTTLE_REDIS_URL", "")
if _throttle_redis:
    CACHES["api_throttle"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _throttle_redis}
API_THROTTLE_CACHE = "api_throttle" if _throttle_redis else "default"
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 256 * 1024, minimum=1024)
API_MAX_UPLOAD_BYTES = env_int("API_MAX_UPLOAD_BYTES", 60 * 1024 * 1024, minimum=1024)
API_MAX_ATTACHMENTS = env_int("API_MAX_ATTACHMENTS", 10, minimum=1)
API_CALLS_KEPT_DAYS = env_int("API_CALLS_KEPT_DAYS", 180, minimum=1)
API_IDEMPOTENCY_KEPT_DAYS = env_int("API_IDEMPOTENCY_KEPT_DAYS", 7, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30, minimum=1)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 10, minimum=1)
