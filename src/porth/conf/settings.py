"""Porth settings: every knob is an environment variable read here, and only here.

PORTH_ENV picks the defaults: ``dev`` (make run), ``test`` (make test) or ``production``.
Production refuses to start without the secrets it needs (see ``porth.conf.checks``).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from porth import fastpath

BASE_DIR = Path(__file__).resolve().parent.parent  # src/porth
PROJECT_DIR = BASE_DIR.parent.parent  # the repository

ENV = os.environ.get("PORTH_ENV", "dev")
if ENV not in {"dev", "test", "production"}:
    raise RuntimeError(f"PORTH_ENV must be dev, test or production, not {ENV!r}")
PRODUCTION = ENV == "production"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


DEBUG = _bool("PORTH_DEBUG", False)
# Which of Porth's fast-path optimisations run: on (all, the default), off (plain Django), or
# a list such as "all,-gzip" (see porth.fastpath and docs/performance.md).
PORTH_FAST_PATH = fastpath.parse(os.environ.get("PORTH_FAST_PATH", "on"))


def _fast(name: str) -> bool:
    return name in PORTH_FAST_PATH


# Dev and test use a fixed, public key: fine for a laptop, refused in production by a check.
SECRET_KEY = os.environ.get("PORTH_SECRET_KEY", "" if PRODUCTION else "porth-dev-only-not-secret")
ALLOWED_HOSTS = os.environ.get(
    "PORTH_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
).split(",")

INSTALLED_APPS = [
    "porth.conf.apps.PorthConfig",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "porth.background",
    "porth.accounts",
    "porth.audit",
    "porth.signin",
    "porth.services",
    "porth.submissions",
    "porth.casework",
    "porth.notifications",
    "porth.analytics",
    "porth.integrations",
    "porth.opendata",
    "porth.exchange",
    "porth.applications",
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/staff/sign-in"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out account before the password is even checked.
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
# Lockout: 5 failed sign-ins for an account lock it for 30 minutes (per user name, so an
# attacker cannot lock every account from one address, nor dodge it by changing address).
AXES_FAILURE_LIMIT = int(os.environ.get("PORTH_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("PORTH_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes warns that address-only attackers are not limited; locking by address would lock a
# whole council office (one NAT address) out after five typos, so we lock by user name.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # Django's and django-axes' "middleware not installed" warnings, only while the fast
    # path's middleware stands in for theirs: porth.fastpath.checks runs their checks as if
    # it did not, so nothing they would catch goes unsaid.
    *(["security.W001", "security.W002"] if _fast("security_headers") else []),
    *(["security.W003"] if _fast("csrf") else []),
    *(["axes.W002"] if _fast("staff_only_auth") else []),
]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = True
OTP_TOTP_ISSUER = os.environ.get("PORTH_TOTP_ISSUER", "Porth")
# Staff are signed out after this long without a request, and this long after signing in.
PORTH_STAFF_IDLE_MINUTES = float(os.environ.get("PORTH_STAFF_IDLE_MINUTES", "30"))
PORTH_STAFF_MAX_HOURS = float(os.environ.get("PORTH_STAFF_MAX_HOURS", "8"))

PORTH_STAFF_MIDDLEWARE = [
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # after authentication: it checks the second factor
    "porth.accounts.middleware.StaffSessionMiddleware",
    "axes.middleware.AxesMiddleware",
]
MIDDLEWARE = [
    # First: forwarded headers from anyone but PORTH_TRUSTED_PROXIES are dropped before any
    # other layer (HTTPS redirect, CSRF's origin check, the audit log) reads them.
    "porth.utils.middleware.TrustedProxyMiddleware",
    *(
        # One layer doing the work of the three below, from the same settings.
        ["porth.fastpath.middleware.SecurityHeadersMiddleware"]
        if _fast("security_headers")
        else [
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "django.middleware.csp.ContentSecurityPolicyMiddleware",
            "porth.utils.middleware.ExtraSecurityHeadersMiddleware",
        ]
    ),
    "whitenoise.middleware.WhiteNoiseMiddleware",
    (
        "porth.fastpath.middleware.GZipMiddleware"
        if _fast("gzip")
        else "django.middleware.gzip.GZipMiddleware"
    ),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "porth.utils.middleware.LanguageMiddleware",
    # After the language (its 400 page is in the reader's language), before any view.
    "porth.utils.middleware.RefuseControlCharactersMiddleware",
    (
        "porth.fastpath.middleware.CommonMiddleware"
        if _fast("host")
        else "django.middleware.common.CommonMiddleware"
    ),
    (
        "porth.fastpath.csrf.CsrfViewMiddleware"
        if _fast("csrf")
        else "django.middleware.csrf.CsrfViewMiddleware"
    ),
    *(
        ["porth.fastpath.staff.StaffMiddleware"]  # runs PORTH_STAFF_MIDDLEWARE, for staff only
        if _fast("staff_only_auth")
        else PORTH_STAFF_MIDDLEWARE
    ),
]

ROOT_URLCONF = "porth.urls"
WSGI_APPLICATION = "porth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "porth.utils.jinja.environment",
            "context_processors": [
                "porth.utils.context.language",
                "porth.accounts.context.staff",
                "porth.applications.navigation.links",  # "Your applications", signed in
            ],
            "autoescape": True,
            # Templates never change under a running server: skip the mtime checks.
            "auto_reload": DEBUG,
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'porth.sqlite3'}"),
        conn_max_age=600,
        # A SELECT 1 before a request's first query, so that a restarted database does not
        # fail a citizen's request; on PostgreSQL, with the fast path, only after an idle
        # second (see porth.fastpath.postgresql). Behind a pooler that checks connections
        # itself, PORTH_DB_HEALTH_CHECKS=0.
        conn_health_checks=_bool("PORTH_DB_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and a writer work at once; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = None
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if _fast("postgresql"):
        DATABASES["default"]["ENGINE"] = "porth.fastpath.postgresql"  # checked when idle
    # PostgreSQL binds the parameters itself, instead of psycopg quoting them into the SQL
    # in Python (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    # A statement run five times on a connection (every journey page's) is prepared, so the
    # server stops parsing and planning it (docs/performance.md). Poolers in transaction mode
    # need prepared statements turned off (or PgBouncer 1.21+ with max_prepared_statements).
    if _bool("PORTH_DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions only carry the ids of journeys in progress, so a signed cookie is enough and
# saves a database round trip on every page.
SESSION_ENGINE = (
    "porth.fastpath.sessions"  # Django's signed cookies, checked ones remembered
    if _fast("sessions")
    else "django.contrib.sessions.backends.signed_cookies"
)
SESSION_COOKIE_NAME = "porth_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _bool("PORTH_SECURE_COOKIES", PRODUCTION)
# A journey left this many days without an answer is gone: its answers are deleted when next
# read, and the session cookie (the only key to it, on what may be a shared computer) lasts
# no longer.
PORTH_JOURNEY_IDLE_DAYS = float(os.environ.get("PORTH_JOURNEY_IDLE_DAYS", "7"))
SESSION_COOKIE_AGE = int(PORTH_JOURNEY_IDLE_DAYS * 24 * 60 * 60)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "porth.utils.views.csrf_failure"

# The largest form a citizen or member of staff posts: a page's longest answers (a textarea
# reads 10,000 characters, up to 12 bytes each once percent-encoded) fit, with room to spare.
# A bigger body is refused (413) before it is read, as are forms with more fields than any
# page has (400): Django's own limits, tightened.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("PORTH_MAX_FORM_BYTES", 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production is HTTPS only: plain HTTP is redirected, and browsers are told (HSTS) to use
# HTTPS for this host and its subdomains, and may preload that. A council whose subdomains
# are not all HTTPS yet sets PORTH_HSTS_INCLUDE_SUBDOMAINS=0 and PORTH_HSTS_PRELOAD=0.
SECURE_SSL_REDIRECT = _bool("PORTH_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("PORTH_HSTS_SECONDS", 31536000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("PORTH_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _bool("PORTH_HSTS_PRELOAD", PRODUCTION)
# Behind a proxy that ends TLS, the request is HTTPS if the proxy says so in
# X-Forwarded-Proto; TrustedProxyMiddleware drops that header (and X-Forwarded-For) from any
# peer not listed in PORTH_TRUSTED_PROXIES ("10.0.0.5,10.1.0.0/16"; empty: believe no one).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
PORTH_TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("PORTH_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]

# The GOV.UK template has one inline script (it marks the body as JS-enabled); it is
# allowed by its hash, so no page needs 'unsafe-inline'.
GOVUK_INLINE_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", GOVUK_INLINE_SCRIPT_HASH],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/London"

STATIC_URL = "/assets/"
# Tests serve assets straight from frontend/dist (below), so they have no collected folder.
STATIC_ROOT = None if ENV == "test" else PROJECT_DIR / "var" / "static"
STATICFILES_DIRS = [PROJECT_DIR / "frontend" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if ENV == "test"
            else "porth.utils.storage.StaticStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365  # hashed names make far-future caching safe
# Tests serve the assets straight from frontend/dist, without collectstatic.
WHITENOISE_USE_FINDERS = ENV == "test"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PORTH_LOG_LEVEL", "WARNING")},
}

# --- Porth's own settings -------------------------------------------------------------
# Folder of service definitions (one YAML file per service).
PORTH_SERVICES_DIR = Path(os.environ.get("PORTH_SERVICES_DIR", PROJECT_DIR / "services"))
# Keys that encrypt personal data at rest: "id:base64key,id:base64key"; the first encrypts,
# all of them decrypt, so keys can be rotated. Dev and test use a fixed, public key.
PORTH_ENCRYPTION_KEYS = os.environ.get(
    "PORTH_ENCRYPTION_KEYS",
    "" if PRODUCTION else "dev1:cG9ydGgtZGV2LW9ubHktbm90LWEtc2VjcmV0LWtleSE=",
)
# The key of the blind index that finds cases by the applicant's name (keyed hashes of its
# words), apart from the encryption keys so that rotating those leaves search working:
# "id:base64key,id:base64key"; the first makes new tokens, all are searched, until
# `porth reindex` has remade every case's tokens with the first. Dev and test use a fixed,
# public key; production must set one (a system check says so).
PORTH_INDEX_KEY = os.environ.get(
    "PORTH_INDEX_KEY",
    "" if PRODUCTION else "dev1:cG9ydGgtZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5ISE=",
)
# The key of the audit log's hash chain (HMAC-SHA256), held outside the database so that
# whoever can write to the database cannot make a chain that verifies: "id:base64key,...";
# the first keys new entries, all verify (each entry records its key's id), so never remove
# one. Dev and test use a fixed, public key; production must set one (a system check says so).
PORTH_AUDIT_KEY = os.environ.get(
    "PORTH_AUDIT_KEY",
    "" if PRODUCTION else "dev1:cG9ydGgtZGV2LW9ubHktYXVkaXQtbG9nLWtleSEhISE=",
)
# Signed checkpoints of the audit log's head (`porth audit checkpoint`), one JSON line each,
# appended to a file the database cannot rewrite; `porth audit verify` checks the log against
# every one.
PORTH_AUDIT_CHECKPOINTS = Path(
    os.environ.get("PORTH_AUDIT_CHECKPOINTS", PROJECT_DIR / "var" / "audit-checkpoints.jsonl")
)

# --- Background work and notifications ------------------------------------------------
# Tasks (django.tasks) are stored in the database and run by `porth worker` (make run starts
# one); PORTH_TASKS=rq queues them on Redis (PORTH_REDIS_URL) instead, for several machines.
# Tests run them in the test's own thread, so that a test sees what a worker would do.
PORTH_TASKS = os.environ.get("PORTH_TASKS", "immediate" if ENV == "test" else "database")
PORTH_REDIS_URL = os.environ.get("PORTH_REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS = {
    "default": {
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
        "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
        "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    }.get(PORTH_TASKS, {"BACKEND": "django_tasks_db.DatabaseBackend"})  # else background.E001
}
RQ_QUEUES = {"default": {"URL": PORTH_REDIS_URL}}
if PORTH_TASKS == "rq":  # its models and commands (`rqworker`), only when RQ is used
    INSTALLED_APPS.append("django_rq")
# Delivery of notifications (porth.notifications.delivery): a worker has LEASE seconds to
# send one message (longer than any channel's timeout) before another worker may take it
# over; every SWEEP seconds a worker looks for messages whose task was lost (a worker killed,
# a queue emptied) and queues them again.
PORTH_DELIVERY_LEASE = float(os.environ.get("PORTH_DELIVERY_LEASE", "120"))
PORTH_DELIVERY_SWEEP = float(os.environ.get("PORTH_DELIVERY_SWEEP", "60"))
# The address of this site as citizens reach it, for links in messages (resume a journey,
# reply to a request for information).
PORTH_BASE_URL = os.environ.get("PORTH_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
# How messages are sent: "outbox" (dev: kept in the database, read at /dev/outbox), "notify"
# (GOV.UK Notify) or "smtp"; or any channel a plugin registers.
PORTH_NOTIFICATION_CHANNEL = os.environ.get(
    "PORTH_NOTIFICATION_CHANNEL", "notify" if PRODUCTION else "outbox"
)
# GOV.UK Notify: the API key (name-serviceid-secret) and, for tests, another address.
PORTH_NOTIFY_API_KEY = os.environ.get("PORTH_NOTIFY_API_KEY", "")
PORTH_NOTIFY_BASE_URL = os.environ.get(
    "PORTH_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
)
# Notify sends through templates kept in Notify, and Porth renders its own text, so each kind
# has one template that only carries it: email with subject ((subject)) and body ((body)), text
# message with body ((body)). Their ids (from Notify's Templates page):
PORTH_NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("PORTH_NOTIFY_EMAIL_TEMPLATE_ID", "")
PORTH_NOTIFY_SMS_TEMPLATE_ID = os.environ.get("PORTH_NOTIFY_SMS_TEMPLATE_ID", "")
# The bearer token Notify sends with its delivery receipts (set in Notify's callback settings).
PORTH_NOTIFY_CALLBACK_TOKEN = os.environ.get("PORTH_NOTIFY_CALLBACK_TOKEN", "")
# SMTP: any server (PORTH_SMTP_URL such as smtp://user:password@mail.example:587, with
# ?tls=starttls or ?tls=ssl) and the From address.
PORTH_SMTP_URL = os.environ.get("PORTH_SMTP_URL", "smtp://127.0.0.1:25")
PORTH_EMAIL_FROM = os.environ.get("PORTH_EMAIL_FROM", "Porth <noreply@porth.example>")
# Webhooks to departments' systems (porth.integrations): each POST waits at most TIMEOUT
# seconds; a delivery that keeps failing (timeouts, 5xx, refused connections) is tried
# MAX_ATTEMPTS times with exponential backoff, then marked failed. Addresses on loopback or
# private networks are refused in production unless ALLOW_PRIVATE says otherwise (a webhook
# must not become a way to reach Porth's own network).
PORTH_WEBHOOK_TIMEOUT = float(os.environ.get("PORTH_WEBHOOK_TIMEOUT", "10"))
PORTH_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("PORTH_WEBHOOK_MAX_ATTEMPTS", "8"))
PORTH_WEBHOOK_ALLOW_PRIVATE = _bool("PORTH_WEBHOOK_ALLOW_PRIVATE", not PRODUCTION)
# Save and come back later: how long a saved journey is kept, waiting for its link.
PORTH_SAVE_DAYS = float(os.environ.get("PORTH_SAVE_DAYS", "28"))
# At most this many links a day to one email address or phone number, and an hour to one
# client address (each costs the service, and the form must not flood anyone's phone).
PORTH_SAVE_LINKS_PER_ADDRESS = int(os.environ.get("PORTH_SAVE_LINKS_PER_ADDRESS", "5"))
PORTH_SAVE_LINKS_PER_CLIENT = int(os.environ.get("PORTH_SAVE_LINKS_PER_CLIENT", "20"))
# Request for more information: how long the applicant's reply link works.
PORTH_REPLY_DAYS = float(os.environ.get("PORTH_REPLY_DAYS", "28"))

# --- Performance data (porth.analytics) ----------------------------------------------
# Events are written in batches: at most this many at once, and at most this many seconds
# after they happen (0: each at once, as tests do).
PORTH_ANALYTICS_BATCH = int(os.environ.get("PORTH_ANALYTICS_BATCH", "500"))
PORTH_ANALYTICS_FLUSH_SECONDS = float(
    os.environ.get("PORTH_ANALYTICS_FLUSH_SECONDS", "0" if ENV == "test" else "2")
)
# The roll-up counts events every ROLLUP_EVERY seconds, once they are LAG seconds old (so that
# a batch still being written, or a transaction still open, is not skipped: see rollups.py).
PORTH_ANALYTICS_ROLLUP_EVERY = float(os.environ.get("PORTH_ANALYTICS_ROLLUP_EVERY", "60"))
PORTH_ANALYTICS_LAG = float(os.environ.get("PORTH_ANALYTICS_LAG", "0" if ENV == "test" else "30"))
# Raw events are deleted after this many days (once rolled up); the rollups are kept.
PORTH_ANALYTICS_RAW_DAYS = float(os.environ.get("PORTH_ANALYTICS_RAW_DAYS", "90"))

# --- Open data (porth.opendata) ------------------------------------------------------
# Uploaded resources (CSV, JSON, XLSX) are kept here, served by Porth at their dataset's
# permanent address; none may be bigger than this.
MEDIA_ROOT = Path(
    os.environ.get(
        "PORTH_MEDIA_ROOT", PROJECT_DIR / "var" / ("test-media" if ENV == "test" else "media")
    )
)
PORTH_OPENDATA_MAX_UPLOAD_BYTES = int(
    float(os.environ.get("PORTH_OPENDATA_MAX_UPLOAD_MB", "50")) * 1024 * 1024
)
# Performance datasets (one per live service) are made again this often.
PORTH_OPENDATA_REFRESH_HOURS = float(os.environ.get("PORTH_OPENDATA_REFRESH_HOURS", "24"))
# Counts below this are not published (they could single people out): shown as suppressed.
PORTH_OPENDATA_SUPPRESS_BELOW = int(os.environ.get("PORTH_OPENDATA_SUPPRESS_BELOW", "10"))

# --- Citizen sign-in (porth.signin, docs/signin.md) -----------------------------------
# An OpenID Connect provider such as GOV.UK One Login. With no issuer, sign-in is not offered
# anywhere and every service works as before.
PORTH_SIGNIN_ISSUER = os.environ.get("PORTH_SIGNIN_ISSUER", "").rstrip("/")
# Where the provider's metadata is (discovery); by default under the issuer.
PORTH_SIGNIN_DISCOVERY_URL = os.environ.get(
    "PORTH_SIGNIN_DISCOVERY_URL",
    f"{PORTH_SIGNIN_ISSUER}/.well-known/openid-configuration" if PORTH_SIGNIN_ISSUER else "",
)
PORTH_SIGNIN_CLIENT_ID = os.environ.get("PORTH_SIGNIN_CLIENT_ID", "")
# The keys Porth signs its client assertions with (private_key_jwt): a JWKS (JSON text, or the
# path of a .json file) or comma-separated paths of PEM files. The first key signs; every
# key's public part is published at /sign-in/jwks.json, so a new key can be listed (second)
# before it is used (first), and an old one kept until the provider no longer needs it.
PORTH_SIGNIN_KEYS = os.environ.get("PORTH_SIGNIN_KEYS", "")
# Vectors of trust (GOV.UK One Login: "Cl.Cm" is medium-level authentication, no identity).
PORTH_SIGNIN_VTR = os.environ.get("PORTH_SIGNIN_VTR", '["Cl.Cm"]')
PORTH_SIGNIN_SCOPES = os.environ.get("PORTH_SIGNIN_SCOPES", "openid email phone")
# Sign-in offered at all: on by default once an issuer is set; off turns it off everywhere.
PORTH_SIGNIN = _bool("PORTH_SIGNIN", bool(PORTH_SIGNIN_ISSUER))
# The provider's name on the button ("Sign in with GOV.UK One Login"); empty: "Sign in".
PORTH_SIGNIN_PROVIDER_NAME = os.environ.get(
    "PORTH_SIGNIN_PROVIDER_NAME",
    "GOV.UK One Login" if PORTH_SIGNIN_ISSUER.endswith("account.gov.uk") else "",
)
# Seconds Porth waits for the provider (discovery, token, keys, userinfo) before giving up.
PORTH_SIGNIN_TIMEOUT = float(os.environ.get("PORTH_SIGNIN_TIMEOUT", "5"))

# Signing out posts a form whose answer sends the browser on to the provider's end-session
# page: form-action must allow the provider's origin, or the browser stops there.
if PORTH_SIGNIN_ISSUER:
    _issuer = urlsplit(PORTH_SIGNIN_ISSUER)
    SECURE_CSP["form-action"].append(f"{_issuer.scheme}://{_issuer.netloc}")

# --- Exchange between organisations (porth.exchange) ---------------------------------------
# A signed call is accepted only if its signature was created within this many seconds of
# the receiver's clock (either way); message ids are remembered for longer than that.
PORTH_EXCHANGE_WINDOW_SECONDS = int(os.environ.get("PORTH_EXCHANGE_WINDOW_SECONDS", "60"))
# A new signing key verifies for this many days; rotate before then (`porth exchange keys`).
PORTH_EXCHANGE_KEY_DAYS = int(os.environ.get("PORTH_EXCHANGE_KEY_DAYS", "90"))
# How long a caller waits for a partner by default before the call is Unavailable.
PORTH_EXCHANGE_TIMEOUT = float(os.environ.get("PORTH_EXCHANGE_TIMEOUT", "5"))
