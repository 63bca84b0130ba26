"""Settings shared by every run mode.

Everything that differs between machines comes from the environment (see DESIGN.md). With
nothing set, Talk Health runs embedded: SQLite under var/, Celery eager, local-memory cache and
emails written to files under var/mail/.
"""

import sys
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="django-insecure-embedded-default-not-for-production")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])


def _runserver_url(argv: list[str]) -> str:
    """Embedded, links in emails point at the address `runserver` was given (default 127.0.0.1:8000)."""
    address = "127.0.0.1:8000"
    if len(argv) > 1 and argv[1] == "runserver":
        given = [arg for arg in argv[2:] if not arg.startswith("-")]
        if given:
            address = given[0] if ":" in given[0] else (f"127.0.0.1:{given[0]}" if given[0].isdigit() else given[0])
    host, _, port = address.rpartition(":")
    if host in ("0.0.0.0", "", "0", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


SITE_URL = env("SITE_URL", default=_runserver_url(sys.argv)).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "taggit",
    "talkhealth",
    "accounts",
    "forums",
    "programmes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "talkhealth.middleware.SecurityHeadersMiddleware",
    "talkhealth.middleware.BadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous page-cache hits are answered here, before sessions, auth, CSRF and messages.
    "talkhealth.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "talkhealth.htmx.HtmxErrorsMiddleware",
]

ROOT_URLCONF = "talkhealth.urls"
WSGI_APPLICATION = "talkhealth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talkhealth.context_processors.site",
                "forums.context_processors.moderation",
            ],
            "builtins": ["talkhealth.templatetags.talkhealth"],
        },
    },
    {
        # Only the partials a page repeats per comment or per thread: see talkhealth/jinja2.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "talkhealth.jinja2.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "talkhealth.context_processors.viewer",
            ],
        },
    },
]
FORM_RENDERER = "talkhealth.errors.FormRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'talkhealth.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:") and not DATABASES["default"]["NAME"].startswith("file:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; the public name is the display name, never the email.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
}
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Talk Health: "
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip"}
# Adding or changing an email address asks for the password again, and the old address is told.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True

# Who the client is, behind the TLS proxy: rate limits (allauth's and /admin/login/, which uses
# them too) count each person, not the proxy. Set TRUSTED_CLIENT_IP_HEADER to the header the proxy
# writes the client's address into (e.g. X-Real-IP), or TRUSTED_PROXY_COUNT to the number of
# proxies that append to X-Forwarded-For. Unset, REMOTE_ADDR is the client (no proxy).
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# One "Download my data" per person per this many hours, beyond one still being prepared.
ACCOUNTS_DATA_EXPORT_EVERY_HOURS = env.int("ACCOUNTS_DATA_EXPORT_EVERY_HOURS", default=24)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default=f"filemail:///{VAR_DIR / 'mail'}")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Talk Health <no-reply@talkhealth.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1}
CELERY_TIMEZONE = TIME_ZONE
# Celery's Django fixup closes the database connection before and after every task unless this is
# set (celery/celery#4116; its fix was reverted in #9824), so each task paid for a new PostgreSQL
# backend. With it, the fixup closes only every 1,000 tasks, and talkhealth.celery closes by
# Django's own rules around each task instead (CONN_MAX_AGE, CONN_HEALTH_CHECKS), as a request does.
CELERY_DB_REUSE_MAX = 1000
# Theme analysis runs on its own queue (`python -m talkhealth.worker -Q analysis`, see the Procfile).
CELERY_TASK_ROUTES = {"themes.*": {"queue": "analysis"}}
THEMES_SOFT_TIME_LIMIT = env.int("THEMES_SOFT_TIME_LIMIT", default=1800)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "talkhealth.outbox_sweep", "schedule": 60.0},
    "notifications-sweep": {"task": "accounts.notifications_sweep", "schedule": 60.0},
    "notifications-daily-digest": {
        "task": "accounts.notifications_digest",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "notifications-weekly-digest": {
        "task": "accounts.notifications_digest",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
        "args": ("weekly",),
    },
    "programmes-publish-scheduled-updates": {"task": "programmes.updates_publish_due", "schedule": 60.0},
    "accounts-purge-unconfirmed": {"task": "accounts.users_purge_unconfirmed", "schedule": crontab(hour=3, minute=15)},
    "accounts-purge-data-exports": {"task": "accounts.data_exports_purge", "schedule": crontab(hour=3, minute=45)},
    "forums-safety-alerts": {"task": "forums.safety_alerts_send", "schedule": 60.0},
    "forums-safeguarding-escalate": {"task": "forums.safeguarding_escalate", "schedule": 60.0},
    "programmes-purge-discussion-exports": {
        "task": "programmes.discussion_exports_purge",
        "schedule": crontab(hour=3, minute=50),
    },
}

# The outbox (talkhealth.outbox): account emails, moderator alerts and background jobs. A job that
# fails is tried again after 30 s, 60 s, ... up to an hour apart, OUTBOX_MAX_ATTEMPTS times in all.
OUTBOX_MAX_ATTEMPTS = 8
OUTBOX_RETRY_SECONDS = 30.0
OUTBOX_RETRY_MAX_SECONDS = 3600.0
OUTBOX_SWEEP_AFTER_SECONDS = 60
OUTBOX_LEASE_SECONDS = 1800
OUTBOX_KEEP_DAYS = 30

# Notifications (accounts.notifications). An email that fails is retried after 30 s, 60 s, 120 s, ...
# up to an hour apart, and given up after NOTIFICATIONS_EMAIL_MAX_ATTEMPTS tries. The sweep queues
# again anything unsent after NOTIFICATIONS_SWEEP_AFTER_SECONDS (never queued: broker down) or after
# NOTIFICATIONS_QUEUE_LEASE_SECONDS (queued, but the message or its worker was lost).
NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = 6
NOTIFICATIONS_EMAIL_RETRY_SECONDS = 30.0
NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS = 3600.0
NOTIFICATIONS_SWEEP_AFTER_SECONDS = 60
NOTIFICATIONS_QUEUE_LEASE_SECONDS = 600
NOTIFICATIONS_FAN_OUT_CHUNK = 1000
# The first this many people of an audience (all of most discussions' followers) are written in the
# request that caused it; the rest of a bigger one by a Celery task, NOTIFICATIONS_FAN_OUT_CHUNK rows
# at a time.
NOTIFICATIONS_FAN_OUT_INLINE = 100
NOTIFICATIONS_EMAIL_BATCH = 200
NOTIFICATIONS_PER_PAGE = 20

# "Your reply has been posted" and the like travel in a signed cookie (the session only when they
# overflow it), so showing one writes nothing to the database; the page cache never answers a request
# that carries one (talkhealth.pagecache).
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Written by talkhealth.middleware on every response: only this site's own scripts, styles, fonts
# and images (htmx included: base.html turns off its injected indicator <style>).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Which kind of deployment this is; demo-data commands refuse to run in production.
TALKHEALTH_ENVIRONMENT = "embedded"

# Discussions. Limits are per person; "new" accounts are younger than FORUMS_NEW_ACCOUNT_DAYS.
TAGGIT_CASE_INSENSITIVE = True
FORUMS_COMMENTS_PER_PAGE = env.int("FORUMS_COMMENTS_PER_PAGE", default=25)
FORUMS_THREADS_PER_PAGE = 30
FORUMS_EDIT_WINDOW_MINUTES = env.int("FORUMS_EDIT_WINDOW_MINUTES", default=30)
FORUMS_NEW_ACCOUNT_DAYS = 7
FORUMS_RATE_LIMITS = [(15, 1), (3600, 30)]  # (seconds, posts): at most `posts` in any `seconds`
FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(60, 1), (3600, 10)]
FORUMS_NEW_ACCOUNT_MAX_LINKS = 2
FORUMS_DUPLICATE_WINDOW_MINUTES = 10
FORUMS_TITLE_MAX = 150
FORUMS_BODY_MAX = 10000
FORUMS_MAX_TAGS = 5

# Whole pages for visitors without a session, made stale by the writes that change them (talkhealth.pagecache).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# How late a listing (board, hub, search, tags, profile) may show new posts and likes to visitors
# without a session: under a stream of posts each listing is rendered at most once per this many
# seconds. Edits and takedowns are never late. 30 s: at 5 posts a second re-rendering the listings
# they touch cost about 8 ms of CPU a post at 10 s (README, "Production and scale-out").
PAGE_CACHE_ACTIVITY_SECONDS = env.int("PAGE_CACHE_ACTIVITY_SECONDS", default=30)

# Moderation thresholds when the settings row is first created; moderators change them in admin.
MODERATION_DEFAULTS = {"report_threshold": 3, "premoderated_posts": 2}

# Safeguarding (forums.moderation.safeguarding). Reports a person may file: (seconds, at most) windows.
# At-risk alerts reach each moderator at most once per interval, listing every new item; an at-risk
# item with no first look after the escalation time is emailed to the safeguarding leads.
MODERATION_REPORT_LIMITS = [(600, 10), (86400, 40)]
SAFETY_ALERT_INTERVAL_MINUTES = env.int("SAFETY_ALERT_INTERVAL_MINUTES", default=3)
SAFEGUARDING_ESCALATE_AFTER_MINUTES = env.int("SAFEGUARDING_ESCALATE_AFTER_MINUTES", default=60)
SAFEGUARDING_PROCEDURE_URL = env(
    "SAFEGUARDING_PROCEDURE_URL", default="https://www.england.nhs.uk/safeguarding/about/"
)
