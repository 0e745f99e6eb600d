"""casecenter settings, read from the environment only (see README, "Configuration").

Three modes:
- production (the default): refuses to start on an unsafe configuration;
- ``CASECENTER_DEBUG=1``: local development, safe local defaults;
- ``CASECENTER_DEMO=1``: the demonstration installation that ``make run`` starts, with a banner
  and the second factor optional.
"""

from __future__ import annotations

import os
import secrets
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_choice, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("CASECENTER_HOME") or Path.cwd()).resolve()
VAR_DIR = Path(env_str("CASECENTER_VAR_DIR") or BASE_DIR / "var").resolve()

DEBUG = env_bool("CASECENTER_DEBUG", False)
DEMO_MODE = env_bool("CASECENTER_DEMO", False)
PRODUCTION = not (DEBUG or DEMO_MODE)


def _unsafe(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"casecenter refuses to start in production mode: {message} "
        "(for a local trial set CASECENTER_DEMO=1, for development CASECENTER_DEBUG=1)."
    )


def _secret_key() -> str:
    key = env_secret("CASECENTER_SECRET_KEY")
    if key:
        if PRODUCTION and len(key) < 50:
            raise _unsafe("CASECENTER_SECRET_KEY is shorter than 50 characters.")
        return key
    if PRODUCTION:
        raise _unsafe("set CASECENTER_SECRET_KEY (or CASECENTER_SECRET_KEY_FILE) to a random value of 50+ characters.")
    # Development and demo keep a generated key in var/ so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

_LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
ALLOWED_HOSTS = env_list("CASECENTER_ALLOWED_HOSTS", [] if PRODUCTION else _LOCAL_HOSTS)
if PRODUCTION and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS):
    raise _unsafe("set CASECENTER_ALLOWED_HOSTS to the comma-separated host names this server answers to "
                  "('*' is refused).")
CSRF_TRUSTED_ORIGINS = env_list("CASECENTER_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "casecenter.core",
    "casecenter.accounts",
    "casecenter.ledger",
    "casecenter.jobs",
    "casecenter.search",
    "casecenter.law",
    "casecenter.deadlines",
    "casecenter.people",
    "casecenter.cases",
    "casecenter.web",
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "casecenter.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casecenter.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "casecenter.accounts.middleware.AccessMatrixMiddleware",
]

ROOT_URLCONF = "casecenter.config.urls"
WSGI_APPLICATION = "casecenter.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casecenter.web.context_processors.shell",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'casecenter.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL") or _default_sqlite
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CASECENTER_DB_CONN_MAX_AGE", 60))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if _default_sqlite == DATABASE_URL:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers run beside the single writer; IMMEDIATE transactions take the write lock at
    # BEGIN, so two writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytic queries, not for the short ones of this application,
    # where it adds tens of milliseconds to a search that takes a few.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background tasks (casecenter worker; see casecenter/jobs) --------------------------------------
# The database backend needs no server and enqueues in the caller's transaction, so a rolled-back
# change leaves no task behind; a city that runs many workers may put the queue on Redis instead.
TASK_QUEUES = ["default"]
_tasks_backend = env_choice("CASECENTER_TASKS_BACKEND", ("database", "redis"), "database")
if _tasks_backend == "redis":
    if find_spec("django_tasks_rq") is None:
        raise ImproperlyConfigured("CASECENTER_TASKS_BACKEND=redis needs the redis extra: "
                                   "pip install 'casecenter[redis]'.")
    INSTALLED_APPS.append("django_rq")
    REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
    RQ_QUEUES = {name: {"URL": REDIS_URL} for name in TASK_QUEUES}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

# --- web server (casecenter serve: gunicorn) ----------------------------------------------------------
# Sync workers, each one request at a time: gunicorn's rule of thumb (two per core, plus one), capped
# so that a large machine shared with the database does not start dozens of processes by default.
WEB_WORKERS = env_int("CASECENTER_WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8), minimum=1)
WEB_BIND = env_str("CASECENTER_WEB_BIND") or "127.0.0.1:8000"

# --- accounts and sessions ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# NIST SP 800-63B §5.1.1.2: at least 8 characters, refuse known-breached/common passwords, no
# composition rules, allow long passphrases.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "casecenter.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name")}},
]
AUTHENTICATION_BACKENDS = ["casecenter.accounts.backends.AccountBackend"]
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION and env_bool("CASECENTER_HTTPS", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("CASECENTER_BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CASECENTER = {
    "IDLE_TIMEOUT_SECONDS": env_int("CASECENTER_IDLE_TIMEOUT_SECONDS", 30 * 60, minimum=60),
    "LOCKOUT_THRESHOLD": env_int("CASECENTER_LOCKOUT_THRESHOLD", 5, minimum=1),
    "LOCKOUT_SECONDS": env_int("CASECENTER_LOCKOUT_SECONDS", 10 * 60, minimum=1),
    "TOTP_ISSUER": env_str("CASECENTER_TOTP_ISSUER", "casecenter"),
    # A personal API token stops working this many days after it was created; the profile page and
    # the security administrator's list warn in the last API_TOKEN_WARNING_DAYS.
    "API_TOKEN_DAYS": env_int("CASECENTER_API_TOKEN_DAYS", 90, minimum=1),
    "API_TOKEN_WARNING_DAYS": env_int("CASECENTER_API_TOKEN_WARNING_DAYS", 14, minimum=0),
    "INSTALLATION_NAME": env_str("CASECENTER_INSTALLATION_NAME", ""),
    # The ledger's hash is fixed for the life of an installation: checkpoints name it, and the
    # sequencer refuses to extend a tree that was built with another one.
    "LEDGER_HASH": env_choice("CASECENTER_LEDGER_HASH", ("sha256", "sm3"), "sha256"),
    # Ed25519 signing key of the checkpoints; generated into var/keys/ on first use when unset.
    "LEDGER_KEY_FILE": env_str("CASECENTER_LEDGER_KEY_FILE") or None,
    # Sequence right after each commit; off only for benchmarks that measure bare appends.
    "LEDGER_SEQUENCE_ON_COMMIT": env_bool("CASECENTER_LEDGER_SEQUENCE_ON_COMMIT", True),
    # ``migrate`` loads the shipped statutes that are missing; off for throwaway benchmark databases.
    "LOAD_STATUTES_ON_MIGRATE": env_bool("CASECENTER_LOAD_STATUTES_ON_MIGRATE", True),
    # Deadlines (casecenter/deadlines): the shipped holidays are entered by ``migrate`` when missing;
    # a TOML file may change the catalog's *unconfirmed* rules (see deadlines/rules.py); 节假日 covers
    # weekends (calendar.md); a month period from the 31st ends on the month's last day, or the next day.
    "LOAD_CALENDAR_ON_MIGRATE": env_bool("CASECENTER_LOAD_CALENDAR_ON_MIGRATE", True),
    "DEADLINE_RULES_OVERRIDES": env_str("CASECENTER_DEADLINE_RULES_OVERRIDES") or None,
    "DEADLINE_WEEKENDS_ARE_HOLIDAYS": env_bool("CASECENTER_DEADLINE_WEEKENDS_ARE_HOLIDAYS", True),
    "DEADLINE_MONTH_END_RULE": env_choice("CASECENTER_DEADLINE_MONTH_END_RULE", ("last_day", "next_day"), "last_day"),
    "DEADLINE_CALENDAR_RECHECK_SECONDS": env_int("CASECENTER_DEADLINE_CALENDAR_RECHECK_SECONDS", 30, minimum=1),
    # How often an open page asks for the unread alert count (the shell's bell).
    "ALERTS_POLL_SECONDS": env_int("CASECENTER_ALERTS_POLL_SECONDS", 15, minimum=1),
    # Least rest between the end of one summons or compelled appearance of a person and the next
    # (CPL art. 119: no chained summonses). UNCONFIRMED for the police: the 12 h default is the
    # procuratorate's rule (人民检察院刑事诉讼规则 arts. 83, 185: 两次传唤/拘传间隔的时间一般不得少于
    # 十二小时); the MPS rules give no figure — set the one your province prescribes.
    "SUMMONS_MIN_INTERVAL_HOURS": env_int("CASECENTER_SUMMONS_MIN_INTERVAL_HOURS", 12, minimum=0),
}

# --- internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "casecenter_language"

# --- static and media files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("CASECENTER_STATIC_ROOT") or VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("CASECENTER_MEDIA_ROOT") or VAR_DIR / "media")
_media_backend = env_choice("CASECENTER_MEDIA_STORAGE", ("local", "s3"), "local")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if _media_backend == "s3":
    try:
        import storages  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "CASECENTER_MEDIA_STORAGE=s3 needs the s3 extra: pip install 'casecenter[s3]'."
        ) from None
    # Object storage (MinIO or any S3-compatible service) for a city installation.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CASECENTER_S3_BUCKET"),
            "endpoint_url": env_str("CASECENTER_S3_ENDPOINT"),
            "access_key": env_secret("CASECENTER_S3_ACCESS_KEY"),
            "secret_key": env_secret("CASECENTER_S3_SECRET_KEY"),
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("CASECENTER_MEDIA_STORAGE=s3 needs CASECENTER_S3_BUCKET and CASECENTER_S3_ENDPOINT.")
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root at start-up

# --- REST API -------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casecenter.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["casecenter.accounts.access.MatrixPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "casecenter.core.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    # Translated at each request (lazy): the documentation speaks the reader's language.
    "TITLE": _("Case-handling management centre API"),
    "DESCRIPTION": _("REST API of the law-enforcement case-handling management centre. Sign in on the site, or send a "
                     "personal token (created on the profile page) as the header “Authorization: Token …”. Every "
                     "error has one shape: {\"error\": {\"code\", \"message\", \"fields\"}}."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["casecenter.accounts.access.MatrixPermission"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several models have a "state" or a "kind": each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "DeadlineStateEnum": "casecenter.deadlines.models.DeadlineState",
        "AlertStateEnum": "casecenter.deadlines.models.AlertState",
        "ProgressStateEnum": "casecenter.jobs.models.ProgressState",
        "CalendarDayKindEnum": "casecenter.deadlines.models.DayKind",
        "UnitKindEnum": "casecenter.accounts.models.UnitKind",
        "RoleEnum": "casecenter.accounts.roles.Role",
        "DivisionKindEnum": "casecenter.law.models.DivisionKind",
        "CaseKindEnum": "casecenter.cases.models.CaseKind",
        "MeasureKindEnum": "casecenter.cases.models.MeasureKind",
        "PersonSexEnum": "casecenter.people.models.Sex",
        "IdentityDocumentKindEnum": "casecenter.people.models.DocumentKind",
        "CaseStatusEnum": "casecenter.cases.models.CaseStatus",
        "MeasureStatusEnum": "casecenter.cases.models.MeasureStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("CASECENTER_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
