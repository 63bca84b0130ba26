"""Fast, deterministic settings for the test suite.

DATABASE_URL and REDIS_URL are still honoured, so CI runs the same suite on PostgreSQL; Celery
stays eager here and the worker tests switch it off for themselves.
"""

from .base import *  # noqa: F403
from .base import REDIS_URL

DEBUG = False
TALKHEALTH_ENVIRONMENT = "test"
SECRET_KEY = "test-only-secret-key-that-is-long-enough-for-hmac-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
PAGE_CACHE_SECONDS = 0
PAGE_CACHE_ACTIVITY_SECONDS = 0
# Tests post several times a second, so posting limits are relaxed here, once; the tests of the limits
# (tests/forums/test_abuse.py) set the real ones for themselves.
FORUMS_RATE_LIMITS = [(1, 10_000)]
FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 10_000)]
# Tests of other behaviour post as established residents; moderation tests opt in to pre-moderation.
MODERATION_DEFAULTS = {"report_threshold": 3, "premoderated_posts": 0}
