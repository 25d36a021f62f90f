"""Settings shared by every environment.

``DATABASE_URL`` picks the database (``sqlite:///path`` or ``postgres://...``) for the server and every
``wenzhi`` command alike; ``WENZHI_TASKS=rq`` with ``REDIS_URL`` moves background tasks to RQ workers.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent  # src/wenzhi
# Where the database, uploaded files and collected static assets live; the repository root by default.
VAR_DIR = Path(os.environ.get("WENZHI_VAR_DIR", PACKAGE_DIR.parent.parent / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("WENZHI_SECRET_KEY", "")
DEBUG = env_bool("WENZHI_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("WENZHI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("WENZHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally, not from a CDN
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "wenzhi.core",
]
# Domain apps register themselves with core in AppConfig.ready(); listed here in dependency order.
DOMAIN_APPS = [
    "wenzhi.registry",
    "wenzhi.statistics",
    "wenzhi.projects",
    "wenzhi.plan",
    "wenzhi.media",
    "wenzhi.media.kitchen",
    "wenzhi.media.watch",  # opinion dashboard, alerts and their handling, opinion reports
    "wenzhi.consumption",
    "wenzhi.consumption.card",
    "wenzhi.consumption.tourism",
]
INSTALLED_APPS += DOMAIN_APPS  # an app that fails to import is an error, never silently left out

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wenzhi.core.middleware.ContentSecurityPolicyMiddleware",
    "wenzhi.core.middleware.CleanQueryMiddleware",
    "wenzhi.core.api.fastlane.ApiFastLaneMiddleware",  # hot API writes (a ticket rush) skip the rest
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "wenzhi.core.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "wenzhi.config.urls"
WSGI_APPLICATION = "wenzhi.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wenzhi.core.context_processors.shell",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    """Django DATABASES entry for ``url``; SQLite gets WAL mode and a busy timeout."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in ("sqlite", "postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL 无法识别：{url!r}。请使用 sqlite:///绝对路径 或 postgres://用户@主机:端口/数据库。")
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3" and config["NAME"] in ("", ":memory:"):
        raise ImproperlyConfigured("DATABASE_URL 缺少 SQLite 数据库文件路径，例如 sqlite:////srv/wenzhi/wenzhi.sqlite3。")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # 64 MB page cache per connection: list filters and counts over the whole registry stay in memory.
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                             "PRAGMA cache_size=-65536;"),
        }
    return config


DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'wenzhi.sqlite3'}"
DATABASES = {"default": database_from_url(DATABASE_URL)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "wenzhi.core.auth.WenzhiBackend",  # ModelBackend, refusing demo accounts where WENZHI_DEMO_ACCOUNTS is off
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Mail (password reset): SMTP from WENZHI_EMAIL_* in production; local settings print mails to the console.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("WENZHI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("WENZHI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("WENZHI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WENZHI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("WENZHI_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("WENZHI_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("WENZHI_EMAIL_FROM", "文智平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = int(os.environ.get("WENZHI_PASSWORD_RESET_HOURS", "24")) * 3600

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login rate limit (django-axes): 5 failures per username + address lock for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("WENZHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy of every response (core.middleware); "{nonce}" is the request's nonce.
WENZHI_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "{nonce}"],
    "style-src": ["'self'", "{nonce}"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
WENZHI_CSP_REPORT_ONLY = env_bool("WENZHI_CSP_REPORT_ONLY", False)

# Empty choices say 全部 (All) in list filters and 请选择 (Please choose) in forms, never Django's dashes.
FILTERS_EMPTY_CHOICE_LABEL = _("全部")
FORM_RENDERER = "wenzhi.core.forms.FormRenderer"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = []
_node_assets = PACKAGE_DIR.parent.parent / "node_modules"
if _node_assets.is_dir():
    # htmx and ECharts come from the npm registry at install time, never from a CDN at run time.
    STATICFILES_DIRS = [("vendor/htmx", _node_assets / "htmx.org" / "dist"),
                        ("vendor/echarts", _node_assets / "echarts" / "dist")]
# The CJK font embedded in PDFs and drawn in charts (core/documents): `make assets` copies it here from npm.
WENZHI_FONT_DIR = Path(os.environ.get("WENZHI_FONT_DIR", PACKAGE_DIR.parent.parent / "var" / "fonts"))
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# `wenzhi backup` without a file name and the safety copy `wenzhi restore` makes first go here.
WENZHI_BACKUP_DIR = Path(os.environ.get("WENZHI_BACKUP_DIR", VAR_DIR / "backups"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wenzhi.core.api.authentication.TokenAuthentication",
        "wenzhi.core.api.authentication.SessionAuthentication",
    ],
    # Fail closed: a view that does not map its actions in ``permission_actions`` refuses every request.
    "DEFAULT_PERMISSION_CLASSES": ["wenzhi.core.api.permissions.ActionPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "wenzhi.core.api.filters.FilterBackend",  # django-filter's, answering a bad filter with a clear 400
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "wenzhi.core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "文智 Wenzhi API",
    "DESCRIPTION": "智能文化创意产业平台 REST API（/api/v1/）",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "wenzhi.core.api.schema.error_responses"],
}

# Background tasks: the database queue by default, RQ over Redis with WENZHI_TASKS=rq. Two queues (core.tasks):
# "default" for ingestion and alerts, "slow" for reports, imports, backups and sends; `wenzhi serve` runs a
# worker for each.
WENZHI_TASKS = os.environ.get("WENZHI_TASKS", "db")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_QUEUES = ["default", "slow"]
if WENZHI_TASKS == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    RQ_QUEUES = {q: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for q in TASK_QUEUES}
elif WENZHI_TASKS == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
elif WENZHI_TASKS == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
else:
    raise ImproperlyConfigured(f"WENZHI_TASKS must be db, rq or immediate, not {WENZHI_TASKS!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WENZHI_LOG_LEVEL", "WARNING")},
}

# Dashboard aggregates are recomputed at most this often (per panel, scope and language).
WENZHI_DASHBOARD_CACHE_SECONDS = int(os.environ.get("WENZHI_DASHBOARD_CACHE_SECONDS", "60"))
# List pages' filter forms (district and park choices per scope) are rebuilt at most this often.
WENZHI_FILTER_CACHE_SECONDS = int(os.environ.get("WENZHI_FILTER_CACHE_SECONDS", "60"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wenzhi"}}
if os.environ.get("WENZHI_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["WENZHI_CACHE_URL"]}}

# Demo accounts are created only where this is on (local settings); production never has them.
WENZHI_DEMO_ACCOUNTS = False
WENZHI_SHARED_DATA = os.environ.get("WENZHI_SHARED_DATA", "")
# `wenzhi demo` starts the local demo feeds (opinion monitoring) on 127.0.0.1 and schedules their fetches.
WENZHI_DEMO_FEEDS = env_bool("WENZHI_DEMO_FEEDS", True)
