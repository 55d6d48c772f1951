"""Settings shared by every environment; everything configurable comes from the environment.

Embedded default: with no DATABASE_URL the portal uses SQLite in the project folder, and
with no CELERY_BROKER_URL Celery runs tasks eagerly in-process. Set both for PostgreSQL,
Redis and real workers.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is a convenience for developers; production passes real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-secret-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ------------------------------------------------------------------------
DJANGO_APPS = [
    # modeltranslation must come before admin so translated fields show in admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "django_celery_beat",
    "django_celery_results",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
]
# Layer order (see DESIGN.md "Architecture"): each app imports only from the ones above it.
LOCAL_APPS = [
    "apps.core",
    "apps.accounts",
    "apps.notifications",
    "apps.schools",
    "apps.teachers",
    "apps.credit",
    "apps.admission",
    "apps.vacancies",
    "apps.applications",
    "apps.employment",
    "apps.evaluations",
    "apps.matching",
    "apps.guidance",
    "apps.reports",
    "apps.exchange",
    "apps.dashboards",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every other middleware, so their own answers (MFA redirects, CSRF refusals) get
    # the headers too: Permissions-Policy, no-store for signed-in pages and downloads; and the
    # audit row of each CSV export (request.user is set by the time the response passes).
    "apps.core.middleware.SecurityHeadersMiddleware",
    # Content-Security-Policy on every answer too; it gives each request the nonce that the
    # API docs' scripts and styles carry (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view or CSRF check reads the body; after the language and the user are known,
    # so the 413 page is the portal's own, in the visitor's language.
    "apps.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.UserTimezoneMiddleware",
    # After authentication and allauth: center staff and superusers pass MFA before any page.
    "apps.accounts.mfa.StaffMFAMiddleware",
]

ROOT_URLCONF = "hangzhou_waijiao.urls"
WSGI_APPLICATION = "hangzhou_waijiao.wsgi.application"

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
                "apps.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

# --- Database ----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboards:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
# Translated into the recipient's language when an email is sent (apps.core.site); a custom
# value from the environment is used as written.
ACCOUNT_EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="[Hangzhou Foreign Teachers] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "apps.accounts.mfa.MFAAdapter"
# The name authenticator apps show next to the code (otherwise the host name, e.g. 127.0.0.1).
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Hangzhou Foreign Teachers")
# allauth's own limits stay in force (failed logins: 10/min per IP and 5 per 5 min per email,
# then even the right password is refused; logins 30/min per IP); these add the portal's own.
# Rates are "amount/period/per", period s|m|h|d, per ip|key|user.
ACCOUNT_RATE_LIMITS = {
    "school_register": env("SCHOOL_REGISTER_RATE_LIMIT", default="5/h/ip"),
}
# How long a school registration's emailed confirmation link works (nothing exists before).
SCHOOL_REGISTRATION_VALID_DAYS = env.int("SCHOOL_REGISTRATION_VALID_DAYS", default=3)
# Rate limits, used TOTP codes, cached sessions and shared lookups (reference lists, search
# counts) live in the cache, so every web worker must see the same one: Redis from CACHE_URL,
# else the broker's Redis (in database CACHE_REDIS_DB, never the broker's own: a cache clear
# flushes its database). The in-process default suits one process (runserver, tests).
CACHE_URL = env("CACHE_URL", default="")
if not CACHE_URL and env("CELERY_BROKER_URL", default="").startswith(("redis://", "rediss://")):
    _broker = urlsplit(env("CELERY_BROKER_URL"))
    CACHE_URL = urlunsplit(_broker._replace(path=f"/{env.int('CACHE_REDIS_DB', default=2)}"))
CACHES = {"default": env.cache_url_config(CACHE_URL or "locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "apps.core.cache.RedisCache"  # one client per pool
SHARED_CACHE = CACHES["default"]["BACKEND"].endswith("RedisCache")
# Per worker process, for what only a deploy changes (the navigation menu of each role and
# language): a shared cache would cost a round trip to save microseconds of rendering.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
# Sessions stay in the database (the source of truth); with a shared cache they are read from
# it first, which spares every signed-in request a query.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
# Behind N reverse proxies the client is the N-th address from the right of X-Forwarded-For;
# with 0 every request counts against REMOTE_ADDR (one shared limit for a proxy's clients).
# Only set it when the web workers are reachable through the proxies alone (docker-compose: 1),
# or anyone could choose their own address by sending the header.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# Or a header the proxy sets to the client's address alone (e.g. X-Real-IP), in place of the
# count; empty: not used.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None

# --- Data exchange API (apps.exchange) ----------------------------------------------------
# Partner departments authenticate with their own bearer token only: no sessions, no CSRF.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.exchange.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["apps.exchange.api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["apps.exchange.api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hangzhou Foreign Teacher Network — data exchange API",
    "DESCRIPTION": (
        "Read-only API for partner departments. Authenticate with `Authorization: Bearer "
        "<token>`; each token has scopes. Lists are ordered by (updated_at, id) and paged "
        'with an opaque cursor; see the README section "Data exchange API" for the sync '
        "contract."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}
# A row committed later than this many seconds after its updated_at could be missed by a sync
# that already passed it; pages only reach up to now minus this window (see the README).
EXCHANGE_SYNC_SETTLE_SECONDS = env.int("EXCHANGE_SYNC_SETTLE_SECONDS", default=5)
# Behind N reverse proxies the API client's address is the N-th from the right of
# X-Forwarded-For (for the IP allow-list); 0 trusts REMOTE_ADDR only.
EXCHANGE_TRUSTED_PROXY_COUNT = env.int(
    "EXCHANGE_TRUSTED_PROXY_COUNT", default=ALLAUTH_TRUSTED_PROXY_COUNT
)

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "zh-hans")}
LANGUAGE_COOKIE_NAME = "hz_language"

# --- Static and media --------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private uploads: never under a public URL; served only by permission-checked views.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# No URL pattern serves this prefix (urls.py never adds static(MEDIA_URL)): the files are
# only reachable through the permission-checked download views.
MEDIA_URL = "/private-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A whole request body: one scan at its 10 MB limit (apps/teachers/uploads.MAX_UPLOAD_BYTES)
# plus the form's other fields. Larger requests get 413 before anything reads them
# (apps.core.middleware.RequestSizeLimitMiddleware); deploy/nginx/default.conf's
# client_max_body_size is the same figure.
REQUEST_BODY_MAX_BYTES = 12 * 1024 * 1024
# Uploaded files above this size are written to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Forms -------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email -------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Hangzhou Foreign Teacher Service Center <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# --- Field encryption (passport and permit numbers) --------------------------------------
# FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first (older ones still decrypt).
# FIELD_HASH_KEY: the HMAC key for the lookup/uniqueness column; never rotate it casually.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
FIELD_HASH_KEY = env("FIELD_HASH_KEY", default="")

# --- Celery ------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# No broker configured: run tasks in-process so the portal works with nothing else running.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# In eager mode a task's retry or failure must not turn the user's request into an error page:
# tasks record their own failures (e.g. a notification's email status).
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="django-db")
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedule lives here; django-celery-beat's tables only mirror it.
CELERY_BEAT_SCHEDULE = {
    # 04:10 Asia/Shanghai every day: drop school registrations whose confirmation link expired.
    "schools-purge-pending-registrations": {
        "task": "schools.purge_pending_registrations",
        "schedule": crontab(hour=4, minute=10),
    },
    # 00:15 Asia/Shanghai every day: published vacancies whose contract start has passed expire.
    "vacancies-expire": {
        "task": "vacancies.expire_vacancies",
        "schedule": crontab(hour=0, minute=15),
    },
    # 03:30 Asia/Shanghai every day: drop inbox entries older than the retention period.
    "notifications-purge-old": {
        "task": "notifications.purge_old_notifications",
        "schedule": crontab(hour=3, minute=30),
    },
    # 00:45 Asia/Shanghai every day, before the nightly matching run: restrictions whose
    # objection time passed take effect, ended records expire, records 5 years past their end
    # are deleted.
    "credit-sweep-records": {
        "task": "credit.sweep_records",
        "schedule": crontab(hour=0, minute=45),
    },
    # 06:15 Asia/Shanghai every day: expire documents, remind 60/30/7 days before expiry.
    "teachers-expire-documents": {
        "task": "teachers.expire_documents_and_remind",
        "schedule": crontab(hour=6, minute=15),
    },
    # 04:30 Asia/Shanghai every day: delete the files of documents expired longer than the
    # keeping period (stubs stay) and carry out deletion requests whose legal hold has ended.
    "teachers-apply-retention": {
        "task": "teachers.apply_retention",
        "schedule": crontab(hour=4, minute=30),
    },
    # 00:30 Asia/Shanghai every day: offers past their reply-by date lapse.
    "applications-lapse-offers": {
        "task": "applications.lapse_offers",
        "schedule": crontab(hour=0, minute=30),
    },
    # 09:00 Asia/Shanghai every day: remind both sides of tomorrow's interviews.
    "applications-remind-interviews": {
        "task": "applications.remind_interviews",
        "schedule": crontab(hour=9, minute=0),
    },
    # 08:30 Asia/Shanghai Monday–Friday: nudge schools, then the center, about idle applications.
    "applications-nudge-idle": {
        "task": "applications.nudge_idle_applications",
        "schedule": crontab(hour=8, minute=30, day_of_week="1-5"),
    },
    # 01:30 Asia/Shanghai every day, after vacancies expired and offers lapsed: prune old runs'
    # pair rows and refresh every shortlist with a city-wide matching run.
    "matching-nightly-refresh": {
        "task": "matching.nightly_refresh",
        "schedule": crontab(hour=1, minute=30),
    },
    # 06:45 Asia/Shanghai every day: remind 60/30/7 days before contracts and permits expire.
    "employment-remind-expiries": {
        "task": "employment.remind_expiries",
        "schedule": crontab(hour=6, minute=45),
    },
    # 02:30 Asia/Shanghai every day: recompute every hire's open checklist steps (the overdue
    # lists' snapshot), catching policy, procedure and category edits made during the day.
    "guidance-refresh-checklist-steps": {
        "task": "guidance.refresh_checklist_steps",
        "schedule": crontab(hour=2, minute=30),
    },
    # 07:00 Asia/Shanghai every day: remind schools and teachers N days before each open
    # procedure step of a hire's checklist is due (each reminder once).
    "guidance-remind-due-steps": {
        "task": "guidance.remind_due_steps",
        "schedule": crontab(hour=7, minute=0),
    },
    # 02:00 Asia/Shanghai on 1 Jan/Apr/Jul/Oct: open the evaluation round of the quarter that
    # just ended (one evaluation per employment and school).
    "evaluations-open-round": {
        "task": "evaluations.open_quarter_round",
        "schedule": crontab(hour=2, minute=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # 09:15 Asia/Shanghai every day: evaluation reminders at opening, N days before and on the
    # deadline (each sent once).
    "evaluations-send-reminders": {
        "task": "evaluations.send_reminders",
        "schedule": crontab(hour=9, minute=15),
    },
    # 03:00 Asia/Shanghai on 10 January: build last year's annual report for the city and for
    # every district, and tell each bureau when its report is ready.
    "reports-build-annual": {
        "task": "reports.build_annual_reports",
        "schedule": crontab(hour=3, minute=0, day_of_month=10, month_of_year=1),
    },
    # Every 15 minutes: queue again the report builds no worker finished within the task time
    # limit (a lost message, a worker killed at the limit); fail those tried 3 times.
    "reports-reclaim-abandoned-builds": {
        "task": "reports.reclaim_abandoned_builds",
        "schedule": crontab(minute="*/15"),
    },
}
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=365)
# The annual report's PDF and charts embed this TrueType CJK font (Debian fonts-wqy-microhei);
# Noto CJK's CFF outlines cannot be embedded by reportlab.
REPORT_FONT_PATH = env("REPORT_FONT_PATH", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# --- Security defaults (tightened in production.py) --------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Only the portal's own files run and style pages: no inline script, style element or style=
# attribute (progress bars take their width from data-percent in static/js/portal.js). A page
# that must inline something marks it with request.csp_nonce. data: images are allauth's TOTP
# QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Emails, phone numbers and the query strings of passport searches never reach a log.
    "filters": {"personal_data": {"()": "apps.core.logging.RedactPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The portal's name in emails ("Hello from …") and in the sites framework's Site row, which a
# core data migration sets from SITE_NAME and SITE_URL's host. The default name is translated.
SITE_ID = 1
SITE_NAME = env("SITE_NAME", default="Hangzhou Foreign Teacher Resource Service Network")
