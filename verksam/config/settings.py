"""verksam's one settings module, driven by environment variables (see .env.example)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent

# A `.env` file (beside the project, or at VERKSAM_ENV_FILE) fills in what the environment
# leaves unset; a variable set in the environment wins.
ENV_FILE = Path(os.environ.get("VERKSAM_ENV_FILE") or PROJECT_DIR / ".env")
if os.environ.get("VERKSAM_ENV_FILE") and not ENV_FILE.exists():
    raise ImproperlyConfigured(f"VERKSAM_ENV_FILE names no file: {ENV_FILE}")
load_dotenv(ENV_FILE)


def env(name: str, default: str = "") -> str:
    """A setting from the environment; empty (as `NAME=` in .env) means not set."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower() or str(default).lower()
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# Production unless told otherwise: a missing SECRET_KEY stops the app, and HTTPS, Secure
# cookies, HSTS and SMTP are on. The demo, the tests and `./run` set development.
ENVIRONMENT = env("VERKSAM_ENV", "production").lower()
if ENVIRONMENT not in {"production", "development"}:
    raise ImproperlyConfigured(
        f"VERKSAM_ENV must be production or development, not {ENVIRONMENT!r}."
    )
DEVELOPMENT = ENVIRONMENT == "development"
DEBUG = env_bool("DEBUG", False)
if DEBUG and not DEVELOPMENT:
    raise ImproperlyConfigured("DEBUG shows internals: it needs VERKSAM_ENV=development.")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    # A new key at every start: never one anyone knows, and `check --deploy` flags it.
    SECRET_KEY = "django-insecure-" + secrets.token_urlsafe(40)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

if not env("DATABASE_URL"):
    (PROJECT_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'verksam.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "mozilla_django_oidc",
    "django_guid",
    "verksam.core",
    "verksam.accounts",
    "verksam.audit",
    "verksam.organisation",
    "verksam.plans",
    "verksam.indicators",
    "verksam.budget",
    "verksam.risks",
    "verksam.imports",
    "verksam.reports",
    "verksam.search",
    "verksam.followup",
    "verksam.planning",
    "verksam.economy",
    "verksam.pages",
]

MIDDLEWARE = [
    # First: the proxy's health check is answered before host names and HTTPS are checked.
    "verksam.core.health.HealthCheckMiddleware",
    # A request id for the logs and the X-Request-ID response header (django-guid).
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names and long cache lifetimes, from STATIC_ROOT (whitenoise).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django 6 sends the Content-Security-Policy header itself; Django 5.2 needs ours.
    "django.middleware.csp.ContentSecurityPolicyMiddleware"
    if django.VERSION >= (6, 0)
    else "verksam.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "verksam.config.urls"
WSGI_APPLICATION = "verksam.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "verksam.core.context_processors.content_language",
                "verksam.core.context_processors.site_identity",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"
# Set-password links work once, for three days (the e-mails and pages say so).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
# Axes first: a locked-out username/address is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sessions live in the database with the user's id beside them, so that "log out
# everywhere" can delete them all (verksam/accounts/sessions.py).
SESSION_ENGINE = "verksam.accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Lockout after repeated failed sign-ins (django-axes): by default a username from the address
# that failed, so that one person's typos do not lock out everyone behind the municipality's
# NAT; "ip_address" locks the whole address instead.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [
    group.split("+")
    for group in (os.environ.get("AXES_LOCKOUT_PARAMETERS") or "username+ip_address").split(",")
]
AXES_RESET_ON_SUCCESS = True
# Keep failed attempts only (until the cool-off ends), not a log of every sign-in.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "verksam.accounts.views.lockout"

# Single sign-on with OpenID Connect (mozilla-django-oidc), on when a client id is set.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
SSO_PROVIDER_NAME = env("SSO_PROVIDER_NAME", "Microsoft Entra ID")
SSO_USERNAME_CLAIM = env("SSO_USERNAME_CLAIM", "sub")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid profile email")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if SSO_ENABLED:
    required = [
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_ISSUER",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
    ]
    if not OIDC_RP_SIGN_ALGO.startswith("HS"):  # HS256 signs with the client secret
        required.append("OIDC_OP_JWKS_ENDPOINT")
    missing = [name for name in required if not env(name)]
    if missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(missing)}.")
    AUTHENTICATION_BACKENDS.append("verksam.accounts.sso.SingleSignOnBackend")

# One cache for every app process, in the database (a table made by `verksam migrate`): the
# API's rate-limit counts are shared by all processes behind the proxy.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "verksam_cache",
        # Room for every token's, user's and address's count, so none is culled early.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# Personal API tokens: requests per token (per user for a session, per address without).
API_RATE_LIMIT = env("API_RATE_LIMIT", "600/min")
# Anonymous callers are counted by REMOTE_ADDR, as sign-in failures are: a client's own
# X-Forwarded-For header is not believed.
NINJA_NUM_PROXIES = 0

# The audit trail is evidence: it is never rolled back from the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `verksam collectstatic` copies the files here; whitenoise serves them, compressed and with
# hashed names in production. Development serves them from the apps as they are.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or PROJECT_DIR / "var" / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT

# Hardening; `verksam check --deploy` passes with the production settings in
# docs/operations.md.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEVELOPMENT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEVELOPMENT)
if env("SECURE_PROXY_SSL_HEADER"):
    # The header a TLS-terminating proxy sets to "https", e.g. HTTP_X_FORWARDED_PROTO.
    SECURE_PROXY_SSL_HEADER = (env("SECURE_PROXY_SSL_HEADER"), "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEVELOPMENT else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only our own files: no inline script or style, no framing (strings, not django.utils.csp,
# so that Django 5.2 reads them too).
SECURE_CSP = {
    "default-src": ["'self'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# The municipality's identity (core/identity.py, docs/operations.md): its name (in the header,
# the page titles, the documents and the accessibility statement), logo (an SVG, PNG or JPEG
# among the static files or at an absolute path) and accent colour (#rrggbb, contrast checked).
ORGANISATION_NAME = env("VERKSAM_ORGANISATION_NAME")
LOGO = env("VERKSAM_LOGO")
ACCENT_COLOR = env("VERKSAM_ACCENT_COLOR")
# Where to report accessibility problems (the accessibility statement; Swedish law requires it).
ACCESSIBILITY_EMAIL = env("VERKSAM_ACCESSIBILITY_EMAIL")
ACCESSIBILITY_PHONE = env("VERKSAM_ACCESSIBILITY_PHONE")

# A forecast deviating from the budget by more than this percentage of it needs a comment
# (docs/economy.md).
VERKSAM_FORECAST_COMMENT_THRESHOLD = env("VERKSAM_FORECAST_COMMENT_THRESHOLD", "1")

# The seed plan that `verksam demo` loads.
DEMO_PLAN_DIR = Path(os.environ.get("VERKSAM_DEMO_PLAN") or PROJECT_DIR / "data" / "norrtalje-2022")
# The example follow-up round that `verksam demo` loads on top of the seed plan.
DEMO_FOLLOWUP_FILE = PROJECT_DIR / "data" / "examples" / "followup-2022-april.yaml"
# The example economy of that round (outcome, forecasts; docs/economy.md).
DEMO_ECONOMY_FILE = PROJECT_DIR / "data" / "examples" / "economy-2022-april.yaml"

# E-mail (reminders, set-password links): by SMTP in production, printed on the console in
# development. Django 6.1 configures mailers in MAILERS; earlier versions in EMAIL_* settings.
_email_backend = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends." + ("console" if DEVELOPMENT else "smtp") + ".EmailBackend",
)
_smtp = {
    "host": env("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env("EMAIL_HOST_USER"),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    # STARTTLS on the submission port (587), or TLS from the start (465): not both.
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "use_ssl": env_bool("EMAIL_USE_SSL", False),
    "timeout": env_int("EMAIL_TIMEOUT", 30),
}
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {
            "BACKEND": _email_backend,
            "OPTIONS": _smtp if _email_backend.endswith("smtp.EmailBackend") else {},
        }
    }
else:
    EMAIL_BACKEND = _email_backend
    EMAIL_HOST, EMAIL_PORT = _smtp["host"], _smtp["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _smtp["username"], _smtp["password"]
    EMAIL_USE_TLS, EMAIL_USE_SSL = _smtp["use_tls"], _smtp["use_ssl"]
    EMAIL_TIMEOUT = _smtp["timeout"]
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "verksam@localhost")
# The address people reach verksam at, for links in e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Logging: everything to standard error, each line with the request's id (the X-Request-ID
# response header, taken from the proxy's X-Request-ID when it sends one); server errors
# with their traceback. The format is in docs/operations.md.
DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "EXPOSE_HEADER": False}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "verksam.core.log.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (the console in DEBUG only, e-mail to ADMINS) give way.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A line per request and per failed sign-in is noise; lockouts are warnings.
        "django_guid": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # pikepdf (reports/pdf.py) says at INFO that it has loaded.
        "pikepdf": {"level": "WARNING"},
    },
}

# Error tracking (Sentry or a compatible service such as GlitchTip), on when SENTRY_DSN is
# set. No personal data: no user, cookies, request bodies, query strings, local variables or
# query parameters.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    from verksam.core.log import tag_request_id

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT") or ENVIRONMENT,
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        before_send=tag_request_id,
    )
