"""Tests: SQLite by default; PostgreSQL and Redis when WENZHI_TEST_DATABASE_URL / WENZHI_TEST_REDIS_URL are set."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, TASK_QUEUES, database_from_url

SECRET_KEY = "wenzhi-test-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
_db_url = os.environ.get("WENZHI_TEST_DATABASE_URL") or f"sqlite:///{tempfile.gettempdir()}/wenzhi-test.sqlite3"
DATABASES = {"default": database_from_url(_db_url)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: backup/restore and the task worker need a database other connections can open.
    DATABASES["default"]["TEST"] = {"NAME": f"{tempfile.gettempdir()}/wenzhi-test-{os.getpid()}.sqlite3"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; Argon2 is tested explicitly
_redis = os.environ.get("WENZHI_TEST_REDIS_URL")
if _redis:
    REDIS_URL = _redis
    if "django_rq" not in INSTALLED_APPS:
        INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
    # ASYNC False: jobs still go through Redis and RQ but run in the test process.
    RQ_QUEUES = {q: {"URL": _redis, "DEFAULT_TIMEOUT": 600, "ASYNC": False} for q in TASK_QUEUES}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
WENZHI_DEMO_ACCOUNTS = True
WENZHI_DEMO_FEEDS = False  # no feed server process from tests
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="wenzhi-media-")
WENZHI_BACKUP_DIR = tempfile.mkdtemp(prefix="wenzhi-backups-")
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
WENZHI_DASHBOARD_CACHE_SECONDS = 0  # tests see every change at once
WENZHI_FILTER_CACHE_SECONDS = 0
