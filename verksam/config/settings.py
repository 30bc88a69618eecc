"""verksam's one settings module, driven by environment variables (see .env.example)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower() or str(default).lower()
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


DEBUG = env_bool("DEBUG", False)
# Development, the demo and the tests: a built-in secret key and plain HTTP are allowed.
# Production sets VERKSAM_INSECURE_DEV=false.
INSECURE_DEV = DEBUG or env_bool("VERKSAM_INSECURE_DEV", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not INSECURE_DEV:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    # A new key at every start: never one anyone knows, and `check --deploy` flags it.
    SECRET_KEY = "django-insecure-" + secrets.token_urlsafe(40)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

if "DATABASE_URL" not in os.environ:
    (PROJECT_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'verksam.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
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
    "verksam.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
LOGIN_REDIRECT_URL = "accounts:my_account"
LOGOUT_REDIRECT_URL = "pages:home"
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

# Lockout after repeated failed sign-ins (django-axes), per client address by default;
# "username+ip_address" locks a username only from the address that failed.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [
    group.split("+")
    for group in (os.environ.get("AXES_LOCKOUT_PARAMETERS") or "ip_address").split(",")
]
AXES_RESET_ON_SUCCESS = True
# Keep failed attempts only (until the cool-off ends), not a log of every sign-in.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "verksam.accounts.views.lockout"

# Single sign-on with OpenID Connect (mozilla-django-oidc), on when a client id is set.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
SSO_PROVIDER_NAME = os.environ.get("SSO_PROVIDER_NAME", "Microsoft Entra ID")
SSO_USERNAME_CLAIM = os.environ.get("SSO_USERNAME_CLAIM", "sub")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile email")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
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
    missing = [name for name in required if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(missing)}.")
    AUTHENTICATION_BACKENDS.append("verksam.accounts.sso.SingleSignOnBackend")

# Personal API tokens: requests per token (per user for a session, per address without).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/min")
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
STATIC_ROOT = PROJECT_DIR / "var" / "static"

# Hardening; `verksam check --deploy` passes with the production settings in
# docs/operations.md.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not INSECURE_DEV)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    # The header a TLS-terminating proxy sets to "https", e.g. HTTP_X_FORWARDED_PROTO.
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if INSECURE_DEV else 365 * 24 * 60 * 60)
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

# Printed in the accessibility statement (Swedish law requires a contact for reporting problems).
ORGANISATION_NAME = os.environ.get("VERKSAM_ORGANISATION_NAME", "")
ACCESSIBILITY_EMAIL = os.environ.get("VERKSAM_ACCESSIBILITY_EMAIL", "")
ACCESSIBILITY_PHONE = os.environ.get("VERKSAM_ACCESSIBILITY_PHONE", "")

# The seed plan that `verksam demo` loads.
DEMO_PLAN_DIR = Path(os.environ.get("VERKSAM_DEMO_PLAN") or PROJECT_DIR / "data" / "norrtalje-2022")
# The example follow-up round that `verksam demo` loads on top of the seed plan.
DEMO_FOLLOWUP_FILE = PROJECT_DIR / "data" / "examples" / "followup-2022-april.yaml"

# E-mail (reminders of the follow-up rounds). The console backend prints them (the demo).
# Django 6.1 configures mailers in MAILERS; earlier versions in EMAIL_* settings.
# Development prints e-mail on the console; production sends it by SMTP.
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends."
    + ("console.EmailBackend" if INSECURE_DEV else "smtp.EmailBackend"),
)
_email_host = os.environ.get("EMAIL_HOST", "localhost")
_email_port = int(os.environ.get("EMAIL_PORT", "25"))
if django.VERSION >= (6, 1):
    _smtp = _email_backend.endswith("smtp.EmailBackend")
    MAILERS = {
        "default": {
            "BACKEND": _email_backend,
            "OPTIONS": {"host": _email_host, "port": _email_port} if _smtp else {},
        }
    }
else:
    EMAIL_BACKEND = _email_backend
    EMAIL_HOST = _email_host
    EMAIL_PORT = _email_port
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "verksam@localhost")
# The address people reach verksam at, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
