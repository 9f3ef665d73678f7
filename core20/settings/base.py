"""Settings shared by every environment. Values that differ come from the environment
through the typed helpers in core20.env (README: Configuration lists every variable)."""

from pathlib import Path

import dj_database_url

from core20.env import env_bool, env_int, env_list, env_str, env_uri

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CORE20_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SERVICE_NAME = "Core20 Connect"
SERVICE_PHASE = env_str("SERVICE_PHASE", "beta")
# The service's address, for links in emails sent with no request to hand (the daily digest).
SERVICE_URL = env_str("SERVICE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where to report a security problem, published in /.well-known/security.txt (RFC 9116).
# Where the public, connectors and partners reach the people who run the service: shown on
# the accessibility statement (a legal requirement), the privacy notice and the feedback link.
SERVICE_CONTACT = env_uri(
    "SERVICE_CONTACT", "mailto:contact@core20connect.invalid", schemes=("mailto", "https")
)
SECURITY_CONTACT = env_uri(
    "SECURITY_CONTACT", "mailto:security@core20connect.invalid", schemes=("mailto", "https")
)
# The national oversight table flags a site "stale" after this many days without an update.
OVERSIGHT_STALE_DAYS = env_int("OVERSIGHT_STALE_DAYS", 90)
# How long connectors' personal details are kept (core20.network.personal_data): months
# after they left, and months without any change for people who expressed interest but never
# went further.
CONNECTOR_RETENTION_MONTHS = env_int("CONNECTOR_RETENTION_MONTHS", 24)
INTEREST_RETENTION_MONTHS = env_int("INTEREST_RETENTION_MONTHS", 12)
# Micro-grant applicants' contact details (core20.grants.personal_data): months after a
# decline, and after an award (six years: grant and payment records).
GRANT_DECLINED_RETENTION_MONTHS = env_int("GRANT_DECLINED_RETENTION_MONTHS", 12)
GRANT_AWARDED_RETENTION_MONTHS = env_int("GRANT_AWARDED_RETENTION_MONTHS", 72)
# Contacts on applications to calls that were not selected, or drafts left unsubmitted
# (core20.selection.personal_data).
SELECTION_RETENTION_MONTHS = env_int("SELECTION_RETENTION_MONTHS", 12)
# Accounts with no role and no sign-in for this many months are anonymised
# (core20.accounts.personal_data).
ACCOUNT_RETENTION_MONTHS = env_int("ACCOUNT_RETENTION_MONTHS", 24)
# Receipt files of expense claims paid or rejected this many months ago are deleted
# (core20.hours.personal_data): six years, as HMRC asks for financial records.
CLAIM_RECEIPT_RETENTION_MONTHS = env_int("CLAIM_RECEIPT_RETENTION_MONTHS", 72)
# Receipt files of draft claims nobody has changed for this many months are deleted too
# (core20.hours.personal_data). A draft never reached finance, so HMRC's six years do not
# apply; two years is long enough for a connector who pauses for a season or a long illness
# to come back and submit, and short enough that an abandoned draft's receipts do not
# outlive the connector's own record (CONNECTOR_RETENTION_MONTHS after they leave).
CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS = env_int("CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS", 24)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "core20.web",
    "core20.accounts",
    "core20.places",
    "core20.audit",
    "core20.programme",
    "core20.selection",
    "core20.oversight",
    "core20.knowledge",
    "core20.network",
    "core20.hours",
    "core20.grants",
    "core20.directory",
    "core20.engagement",
    "core20.insights",
    "core20.outcomes",
    "core20.datapacks",
    "core20.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core20.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "core20.urls"
# NHS design system markup for every Django form (labels, hints, error messages).
FORM_RENDERER = "core20.web.forms.NHSFormRenderer"
WSGI_APPLICATION = "core20.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "core20" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core20.web.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'core20.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Covering indexes (Index.include) speed up PostgreSQL; SQLite builds the same index
    # without the extra columns, which is all it needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Login throttling: five failures for one account from one address locks it for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = SERVICE_NAME

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("CORE20_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "core20" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email (Django 6.1 MAILERS). The console backend prints messages, which suits the demo;
# production sets EMAIL_BACKEND to the SMTP backend and the EMAIL_* variables below.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("EMAIL_HOST"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Core20 Connect <no-reply@core20connect.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content Security Policy (Django 6.0+ built in): no inline script; nonces where needed.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF layout at INFO; its warnings still show.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
