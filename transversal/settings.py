"""Transversal settings: one module, every value from the environment.

See README.md ("Configuración") for the variables. Secrets never live here.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from transversal.core.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("DATA_DIR", BASE_DIR / "data")

# DEBUG=true is development on one's own machine: a local key and host names, no HTTPS, static
# files straight from the apps, and Django's debug pages. `make demo` runs so but with
# DEBUG_PAGES=false: visitors meet the site's own 404/403/500 pages, in Spanish, as in production.
DEVELOPMENT = env_bool("DEBUG", False)
DEBUG = DEVELOPMENT and env_bool("DEBUG_PAGES", True)
# Required when DEBUG is off: start-up stops with a clear message without it.
SECRET_KEY = (
    env_str("SECRET_KEY", "insecure-development-key-only-for-debug")
    if DEVELOPMENT
    else env_str(
        "SECRET_KEY",
        hint=" Para usar manage.py en su computadora, `make demo` crea DATA_DIR/local.env"
        " con una clave (se ignora si el entorno fija DEBUG=false).",
    )
)
# Signs backups (HMAC-SHA256); empty: a key derived from SECRET_KEY with a salt of its own.
BACKUP_SIGNING_KEY = env_str("BACKUP_SIGNING_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEVELOPMENT else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "transversal.core",
    "transversal.jobs",
    "transversal.territory",
    "transversal.institutions",
    "transversal.accounts",
    "transversal.audit",
    "transversal.planning",
    "transversal.agreements",
    "transversal.followup",
    "transversal.genderstats",
    "transversal.registers",
    "transversal.harmonization",
    "transversal.monitoring",
    "transversal.coordination",
    "transversal.improvement",
    "transversal.workprogrammes",
    "transversal.dashboards",
    "transversal.portal",
    "transversal.reports",
    "transversal.api",
    "transversal.directory",
    "transversal.search",
    "transversal.site",
    "transversal.bench",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "transversal.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF reads it in process_view); needs request.user.
    "transversal.core.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "transversal.urls"
WSGI_APPLICATION = "transversal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "transversal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "transversal.site.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", None), sqlite_path=DATA_DIR / "transversal.sqlite3"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: revokes the person's API tokens after any password change (see the class).
    {"NAME": "transversal.api.passwords.RevokeApiTokensOnPasswordChange"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "site:home"

# Lockout after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form field, whatever the user model calls it
# Trimmed and lower-cased, as the account is looked up: every spelling shares one counter.
AXES_USERNAME_CALLABLE = "transversal.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "transversal.accounts.lockout.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# API tokens: failed attempts per client address (counted in Django's cache) before every token
# from that address is refused with 429 until the window ends.
API_TOKEN_FAILURE_LIMIT = env_int("API_TOKEN_FAILURE_LIMIT", 20, minimum=1, maximum=10000)
API_TOKEN_FAILURE_WINDOW_MINUTES = env_int(
    "API_TOKEN_FAILURE_WINDOW_MINUTES", 15, minimum=1, maximum=24 * 60
)

# Per-process memory cache (no extra service): the header's counts and the dashboards' rendered
# fragments, keyed on the newest audit event (transversal/audit/stamp.py, docs/scaling.md).
# PAGE_CACHE_SECONDS bounds how long an entry lives; 0 turns that caching off.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "transversal",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60, minimum=0, maximum=3600)

SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8, minimum=1, maximum=24 * 30) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

HTTPS = env_bool("HTTPS", not DEVELOPMENT)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a reverse proxy: trust its X-Forwarded-Proto, and take the client address (sign-in
# lockout, API token throttle) from the last X-Forwarded-For entry, the one the proxy appended.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere; every asset is served from this host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "transversal" / "locale"]
FORMAT_MODULE_PATH = ["transversal.formats"]
TIME_ZONE = env_str("TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = env_path("MEDIA_ROOT", DATA_DIR / "media")
# Uploaded files are served only through views that check access; no URL pattern serves this prefix.
MEDIA_URL = "/archivos-privados/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development WhiteNoise serves the apps' files without collectstatic, debug pages or not.
WHITENOISE_USE_FINDERS = DEVELOPMENT
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # dashboards/vega.js: the chart library vl-convert-python ships (dashboards/bundle.py).
    "transversal.dashboards.bundle.VegaBundleFinder",
]

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The draft-plan review posts up to 5,000 items of seven fields and 100 left-out lines of six; the
# default 1,000 refused big plans.
# Anonymous bodies are capped far lower by size (ANONYMOUS_MAX_BODY_KB), which bounds their fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 36_000
# Every form uploads a single file.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Bodies larger than this from anyone not signed in (sign-in, password reset, the API) are refused
# with 413 before they are read; signed-in people may send EVIDENCE_MAX_MB + 1 MB
# (transversal.core.middleware.RequestBodyLimitMiddleware).
ANONYMOUS_MAX_BODY_KB = env_int("ANONYMOUS_MAX_BODY_KB", 256, minimum=16, maximum=100 * 1024)
# Open data: disaggregated counts below this are suppressed (they could identify people).
OPEN_DATA_MIN_COUNT = env_int("OPEN_DATA_MIN_COUNT", 5, minimum=1, maximum=100)
EVIDENCE_MAX_MB = env_int("EVIDENCE_MAX_MB", 20, minimum=1, maximum=500)
# Background jobs (transversal.jobs): a task queue in the database; `manage.py worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job whose worker sent no heartbeat for this long counts as dead: it is queued again
# (reports, imports) or marked failed (the reminder run).
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 600, minimum=30, maximum=24 * 3600)
# Reports queued or running at once, per person and on the whole site (transversal.reports).
REPORTS_MAX_ACTIVE_PER_PERSON = env_int("REPORTS_MAX_ACTIVE_PER_PERSON", 2, minimum=1, maximum=20)
REPORTS_MAX_ACTIVE_TOTAL = env_int("REPORTS_MAX_ACTIVE_TOTAL", 4, minimum=1, maximum=100)
# Other jobs (large spreadsheet imports, the reminder run) queued or running at once.
JOBS_MAX_ACTIVE_PER_PERSON = env_int("JOBS_MAX_ACTIVE_PER_PERSON", 2, minimum=1, maximum=20)
JOBS_MAX_ACTIVE_TOTAL = env_int("JOBS_MAX_ACTIVE_TOTAL", 10, minimum=1, maximum=200)

# E-mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Absolute address used in e-mailed links (e.g. https://transversal.example.org); by default the
# local server on PORT (`make demo PORT=8123` passes the port it serves on).
SITE_URL = env_str(
    "SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1, maximum=65535)}"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Transversal <no-responder@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
