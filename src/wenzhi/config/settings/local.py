"""The embedded default: one machine, SQLite in WAL mode, the database task queue."""

import os

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

DEBUG = env_bool("WENZHI_DEBUG", False)
# A fixed local key is fine for a single-machine install bound to 127.0.0.1; production refuses it.
SECRET_KEY = SECRET_KEY or "wenzhi-local-insecure-key-do-not-use-in-production"
WENZHI_DEMO_ACCOUNTS = True
# Mails (password reset links) are printed to the console unless an SMTP host is configured.
if not os.environ.get("WENZHI_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if not os.environ.get("WENZHI_ALLOWED_HOSTS"):
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
