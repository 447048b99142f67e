"""
fieldapp settings, read from environment variables.

The defaults run the demo on one laptop (SQLite, a SQLite file as the Celery broker, a
console SMS backend). Production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
FIELD_ENCRYPTION_KEY and DEBUG=0; with DEBUG=0 a missing secret stops start-up.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FIELDAPP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=0 fieldapp refuses to start on a default key: "
            "set SECRET_KEY to a long random value (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-demo-key-only-for-DEBUG-never-for-production"  # noqa: S105

FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
if not FIELD_ENCRYPTION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY is not set. Medical and legal notes are encrypted with it: "
            "generate one with python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())' and keep it safe."
        )
    # A fixed key so the demo's encrypted notes survive restarts. Never used with DEBUG=0.
    FIELD_ENCRYPTION_KEY = "ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q="  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "fieldapp.apps.FieldAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "axes",
    # Two-factor sign-in for coordinators, medical and legal volunteers (TOTP and
    # single-use recovery codes): services/accounts/second_factor.py.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Loads each app's rules.py: the permissions (services/accounts/rules.py).
    "rules.apps.AutodiscoverRulesConfig",
    "fieldapp",
    # After django.contrib.auth: roles_sync() must run after auth creates the permissions.
    "services.accounts",
    "services.audit",
    "services.sites",
    "services.people",
    "services.messaging",
    "services.scheduling",
    "services.distributions",
    "services.casework",
    "services.dashboard",
    "services.partners",
    "services.referrals",
    "services.legal",
    "services.shifts",
    "services.privacy",
    "services.reports",
]

MIDDLEWARE = [
    # JSON answers and page fragments lose the headers that only a document needs.
    "fieldapp.middleware.LeanAnswerMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # No NUL byte and no bidi controls reach a view, through the address or a form.
    "fieldapp.middleware.InputMiddleware",
    # Nothing a signed-in user is shown is kept in a cache (API answers included).
    "fieldapp.middleware.NoStoreMiddleware",
    # Which second factor, if any, this session has passed (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the password, the roles that need a second factor pass it before any page.
    "services.accounts.middleware.SecondFactorMiddleware",
    # Each signed-in request starts the session's idle time again.
    "services.accounts.idle.IdleSessionMiddleware",
    "axes.middleware.AxesMiddleware",
    "fieldapp.middleware.NotFoundMiddleware",
]

ROOT_URLCONF = "fieldapp.urls"
WSGI_APPLICATION = "fieldapp.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fieldapp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fieldapp.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fieldapp.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, the worker and beat share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so tests can share the test database with real worker processes;
    # one per test run, so two runs on one machine do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "fieldapp"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Every permission comes from the rules in each app's rules.py.
    "rules.permissions.ObjectPermissionBackend",
    # Passwords and sessions, with no permission of its own.
    "services.accounts.backends.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password reset link works once, and for this long (seconds).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(2 * 60 * 60)))
# An invitation link works once, for this many days.
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "fieldapp")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Phones are shared and lost: a session lasts one working day and no longer.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(10 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
# And it ends sooner without activity (services/accounts/idle.py), after this many
# minutes: soon for the roles that read medical or legal records or run the team, a
# day's distribution for a volunteer at the table. Several roles: the shortest.
SESSION_IDLE_MINUTES = {
    "coordinator": int(os.environ.get("SESSION_IDLE_MINUTES_COORDINATOR", "30")),
    "medical": int(os.environ.get("SESSION_IDLE_MINUTES_MEDICAL", "30")),
    "legal": int(os.environ.get("SESSION_IDLE_MINUTES_LEGAL", "30")),
    "volunteer": int(os.environ.get("SESSION_IDLE_MINUTES_VOLUNTEER", str(12 * 60))),
}
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling: five wrong passwords for one account from one address locks it for 15 min.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, for the lockout above. Behind nginx every request comes from
# 127.0.0.1, so the address is read from X-Forwarded-For, where each trusted proxy appends
# the address that connected to it: the client is the entry TRUSTED_PROXIES from the
# right (nginx's own hop is REMOTE_ADDR, not in the header). Entries further left are
# whatever the client sent, and are ignored. TRUSTED_PROXIES=0 when nothing is in front
# of gunicorn. Without the header (a direct request on the server) REMOTE_ADDR is used.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1"))
if TRUSTED_PROXIES:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXIES - 1
    # A longer header than the proxies make is expected (the client may send its own).
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("ps", _("Pashto")),
    ("fa", _("Dari/Farsi")),
    ("ckb", _("Kurdish Sorani")),
    ("ti", _("Tigrinya")),
    ("am", _("Amharic")),
    ("ur", _("Urdu")),
]
LANGUAGES_BIDI = ["ar", "ps", "fa", "ckb", "ur"]
# Django ships no locale data for these three; without it get_language_info() fails.
LANG_INFO.update(
    {
        "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
        "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
        "am": {"bidi": False, "code": "am", "name": "Amharic", "name_local": "አማርኛ"},
    }
)
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates are day-month-year in every language (fieldapp/formats/ overrides Django's
# American "en" and "ur"); these are the formats of a language with none of its own
# (ps, ti, am), and of a format a language's module leaves out.
FORMAT_MODULE_PATH = ["fieldapp.formats"]
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "fieldapp" / "static"]
# Each file under a name with its content's hash (checkin.3f2a9c.js), written by collectstatic
# with a manifest: a phone never runs old JavaScript against a new server, and nginx and the
# service worker may keep a file for ever (deploy/nginx/fieldapp.conf). With DEBUG, runserver
# serves the plain names from the apps' folders, as before (fieldapp/staticfiles.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "fieldapp.staticfiles.HashedStaticFilesStorage"},
}

PHONENUMBER_DEFAULT_REGION = os.environ.get("PHONENUMBER_DEFAULT_REGION", "FR")
PHONENUMBER_DB_FORMAT = "E164"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a request without credentials gets 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "fieldapp.permissions.ModelPermissions",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "fieldapp.parsers.JSONParser",
        "fieldapp.parsers.FormParser",
        "fieldapp.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "fieldapp.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "fieldapp.schema.FieldAutoSchema",
    "EXCEPTION_HANDLER": "fieldapp.errors.api_exception_handler",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fieldapp API",
    "DESCRIPTION": "People, sites and the field services that use them. Session or token auth.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page show what the API holds: for signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Celery: Redis in production; for the demo, a SQLite file that the web, worker and beat
# processes of one machine share without any server. (Kombu's filesystem transport lets
# two readers race for one message file, and the loser's worker crashes.)
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
# For SQLAlchemy's create_engine(): wait for the file's lock rather than fail at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {} if REDIS_URL else {"connect_args": {"timeout": 30}}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "fieldapp")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Without this, Celery's Django fix-up closes the database connection around every task,
# so each task connects anew (a PostgreSQL backend to start). fieldapp/celery.py checks
# CONN_MAX_AGE and the connection's health around each task instead, as Django does
# around each request.
CELERY_DB_REUSE_MAX = 1000
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
WORKER_HEARTBEAT_SECONDS = 30

SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = os.environ.get("TWILIO_FROM", "")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "10"))
# The public address Twilio calls back (status updates); empty disables callbacks.
SMS_PUBLIC_BASE_URL = os.environ.get("SMS_PUBLIC_BASE_URL", "")
# No SMS to service users between these local hours (Europe/Paris by default).
SMS_QUIET_HOURS_START = int(os.environ.get("SMS_QUIET_HOURS_START", "21"))
SMS_QUIET_HOURS_END = int(os.environ.get("SMS_QUIET_HOURS_END", "8"))
SMS_MAX_ATTEMPTS = int(os.environ.get("SMS_MAX_ATTEMPTS", "3"))
SMS_RETRY_BASE_SECONDS = float(os.environ.get("SMS_RETRY_BASE_SECONDS", "60"))
# The provider's sending rate: the dispatcher never hands out more than this per second.
SMS_MAX_PER_SECOND = float(os.environ.get("SMS_MAX_PER_SECOND", "10"))
SMS_DISPATCH_INTERVAL_SECONDS = float(os.environ.get("SMS_DISPATCH_INTERVAL_SECONDS", "5"))
SMS_SEND_BATCH = int(os.environ.get("SMS_SEND_BATCH", "25"))
# A claim whose task never ran (e.g. Redis lost it) goes back to the queue after this.
SMS_CLAIM_TIMEOUT_SECONDS = float(os.environ.get("SMS_CLAIM_TIMEOUT_SECONDS", "120"))
# A send that never recorded its outcome (worker killed) is looked up after this.
SMS_SENDING_TIMEOUT_SECONDS = float(os.environ.get("SMS_SENDING_TIMEOUT_SECONDS", "120"))
SMS_UNKNOWN_OUTCOME_RECHECK_SECONDS = float(
    os.environ.get("SMS_UNKNOWN_OUTCOME_RECHECK_SECONDS", "30")
)
SMS_PRICE_PER_SEGMENT = os.environ.get("SMS_PRICE_PER_SEGMENT", "0.0798")
SMS_CURRENCY = os.environ.get("SMS_CURRENCY", "EUR")

# E-mail to volunteers (invitations, password resets, reminders by e-mail) goes through
# the outbox, then Django's mailers: the console in the demo (DEBUG), SMTP otherwise,
# set with the EMAIL_* variables below.
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": _email_backend}}
if _email_backend == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fieldapp <noreply@fieldapp.invalid>")

# How long a legal-advice appointment lasts: a multiple of the 30-minute booking grid.
LEGAL_APPOINTMENT_MINUTES = int(os.environ.get("LEGAL_APPOINTMENT_MINUTES", "60"))
# How long an interpreter is booked for a medical appointment at a partner's place.
REFERRAL_APPOINTMENT_MINUTES = int(os.environ.get("REFERRAL_APPOINTMENT_MINUTES", "60"))

# Content Security Policy with Django's built-in middleware: nothing from another host,
# no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Retention (services/privacy/retention.py): people not seen for this many days are
# anonymised; the text and numbers of SMS older than this many days are removed.
PRIVACY_INACTIVE_DAYS = int(os.environ.get("PRIVACY_INACTIVE_DAYS", "180"))
PRIVACY_SMS_KEEP_DAYS = int(os.environ.get("PRIVACY_SMS_KEEP_DAYS", "30"))

# XLSX exports are built in the background into this folder; their download link (and
# the file) lasts this many hours.
EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", VAR_DIR / "exports"))
EXPORT_LINK_HOURS = int(os.environ.get("EXPORT_LINK_HOURS", "24"))

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "fieldapp.tasks.worker_heartbeat",
        "schedule": WORKER_HEARTBEAT_SECONDS,
    },
    "tickets-no-show": {
        "task": "services.distributions.tasks.tickets_no_show",
        "schedule": 15 * 60,
    },
    "sms-dispatch": {
        "task": "services.messaging.tasks.messages_dispatch",
        "schedule": SMS_DISPATCH_INTERVAL_SECONDS,
    },
    # Hourly, so a day missed while beat was down is caught up; a run finds nothing to
    # do once the day's departures are switched off.
    "accounts-departures": {
        "task": "services.accounts.tasks.accounts_deactivate_departed",
        "schedule": 60 * 60,
    },
    # Every night: inactive people anonymised, old SMS text and handover notes purged
    # (services/privacy/retention.py); a second run the same night changes nothing.
    "privacy-retention": {
        "task": "services.privacy.tasks.retention_nightly",
        "schedule": crontab(hour=3, minute=30),
    },
    # Low stock, told to coordinators once a day at 08:00 (Paris): one message each, keyed
    # by the day, so a second run that day sends nothing more.
    "stock-low-alert": {
        "task": "services.distributions.tasks.stock_low_alert_daily",
        "schedule": crontab(hour=8, minute=0),
    },
    # Export files whose link has expired are deleted (services/reports/exports/files.py).
    "exports-expire": {
        "task": "services.reports.tasks.exports_expire",
        "schedule": 60 * 60,
    },
    # Spreadsheets checked and never imported lose their content after a day.
    "imports-purge": {
        "task": "services.reports.tasks.imports_purge",
        "schedule": 60 * 60,
    },
    # The one-time tokens of create forms are kept a day (fieldapp/submissions.py).
    "submissions-purge": {
        "task": "fieldapp.tasks.submissions_purge",
        "schedule": 6 * 60 * 60,
    },
}
# `make demo` sets this to 60: a reminder of a demo appointment that often, so the
# console shows reminders going out (services/legal/demo.py). Unset or 0: never.
DEMO_REMINDER_SECONDS = float(os.environ.get("DEMO_REMINDER_SECONDS", "0"))
if DEMO_REMINDER_SECONDS > 0:
    CELERY_BEAT_SCHEDULE["demo-reminder"] = {
        "task": "services.legal.tasks.demo_reminder",
        "schedule": DEMO_REMINDER_SECONDS,
    }

CSRF_FAILURE_VIEW = "fieldapp.views.csrf_failure"
