"""Settings, read from the environment (see README "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from governance.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# The embedded default (no DATABASE_URL: a SQLite file) is a development setup, so DEBUG
# defaults on there and off wherever a real database is configured.
DEBUG = env_bool("DEBUG", default="DATABASE_URL" not in os.environ)

# A development key is allowed only while DEBUG is on; production must set one.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set to a real secret when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "axes",
    "import_export",
    "governance.apps.GovernanceConfig",
    "staffing.apps.StaffingConfig",
    "cases.apps.CasesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves the admin's CSS and JavaScript in production (collectstatic first; README).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
    return config


DATABASES = {
    "default": _database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout (django-axes): five failures lock a username from that address for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

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
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
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

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
