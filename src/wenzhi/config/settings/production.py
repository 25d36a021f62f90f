"""Production: secrets from the environment, HTTPS cookies, refuses unsafe configuration."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, SECRET_KEY

if DEBUG:
    raise ImproperlyConfigured("生产环境不允许开启 DEBUG：请取消设置 WENZHI_DEBUG。")
if not SECRET_KEY or len(SECRET_KEY) < 40 or "insecure" in SECRET_KEY:
    raise ImproperlyConfigured(
        "生产环境必须设置 WENZHI_SECRET_KEY（至少 40 个字符的随机串），不能使用默认密钥。"
    )
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
WENZHI_DEMO_ACCOUNTS = False
