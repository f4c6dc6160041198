"""Settings for every environment, read from the environment.

DJANGO_ENV=production switches on the production posture: a required secret key and allowed hosts,
secure cookies, HSTS and SSL redirects. Real environment variables win over a local `.env` file.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap as xstatic_bootstrap
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv
from kombu import Exchange, Queue

from enablement.env import env_bool, env_int, env_list, env_numbers, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)

ENVIRONMENT = env_str("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {ENVIRONMENT!r}.")
IS_PRODUCTION = ENVIRONMENT == "production"

# Where the embedded defaults keep their files (SQLite database, broker folders, sent email).
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG cannot be on when DJANGO_ENV=production.")

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
if IS_PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the host names the platform answers to.")
else:
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", LOCAL_HOSTS)
    # The built-in key is public, so it may only ever sign cookies for this machine.
    if set(ALLOWED_HOSTS) <= set(LOCAL_HOSTS) or "DJANGO_SECRET_KEY" in os.environ:
        SECRET_KEY = env_str("DJANGO_SECRET_KEY", "django-insecure-development-only-key-do-not-deploy")
    else:
        raise ImproperlyConfigured(
            "Serving hosts other than localhost needs DJANGO_SECRET_KEY (and, for a deployment, DJANGO_ENV=production)."
        )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_celery_beat",
    "enablement",
    "enablement.webhooks",
    "enablement.scim",
    "managers",
    "coaching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A page's query string or form holding an unpaired surrogate (a UTF-7 request) is a 400, before any view.
    "enablement.web.middleware.RequestTextMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records every request an API token authenticated (DRF authenticates inside the view).
    "enablement.api.middleware.ApiRequestLogMiddleware",
    # /api/ errors Django answers itself (unknown path, too large a body, a crash) in the API's JSON shape.
    "enablement.api.middleware.ApiErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "enablement.urls"
WSGI_APPLICATION = "enablement.wsgi.application"
ASGI_APPLICATION = "enablement.asgi.application"

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
                "enablement.web.navigation.navigation",
                "enablement.notifications.context_processors.inbox",
            ],
        },
    },
]

# Database: SQLite on one laptop, PostgreSQL (DATABASE_URL) in production and CI.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web server, the worker and beat write at the same time: WAL lets readers carry on during a
    # write, IMMEDIATE takes the write lock when a transaction starts (so two writers queue on the busy
    # timeout instead of failing with "database is locked" when one upgrades a read lock).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_PG_JIT_OFF", True):
    # The gap heatmap's aggregate makes PostgreSQL's JIT compile for longer than the query runs
    # (bench/heatmap.py: 973 ms with JIT, 244 ms without, at 20,000 people); the pages' short queries
    # never gain from it either.
    # Appended to whatever `options` the URL carries. Behind PgBouncer, set ignore_startup_parameters =
    # options there, or DATABASE_PG_JIT_OFF=false and `ALTER DATABASE ... SET jit = off` instead.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Passwords; PASSWORD_SIGN_IN=false keeps them for superusers only (enablement/accounts/sign_in.py).
    "enablement.accounts.sign_in.PasswordBackend",
    # OpenID Connect; answers only the SSO callback, and only when OIDC_ISSUER is set (see "Single sign-on").
    "enablement.accounts.sso.backend.OidcBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "enablement:home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: after AXES_FAILURE_LIMIT failures for one username from one address, that pair is
# locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A failed single sign-on counts against the account the provider's answer named (or the address alone).
AXES_USERNAME_CALLABLE = "enablement.accounts.sign_in.axes_username"
# Behind N reverse proxies the client address is the N-th from the right in X-Forwarded-For; with none,
# REMOTE_ADDR. Never trust X-Forwarded-For when no proxy sets it: anyone could choose their address.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Single sign-on with OpenID Connect (enablement/accounts/sso/; README, "Single sign-on"). Off unless
# OIDC_ISSUER names the provider; its endpoints and keys come from the issuer's discovery document.
OIDC_ISSUER = env_str("OIDC_ISSUER", "")
SSO_ENABLED = bool(OIDC_ISSUER)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "single sign-on")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID") if SSO_ENABLED else ""
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET") if SSO_ENABLED else ""
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGORITHM", "RS256")
# The claim compared with a login's username; then, if allowed, a verified `email` with a person's work email.
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_MATCH_VERIFIED_EMAIL = env_bool("OIDC_MATCH_VERIFIED_EMAIL", True)
# Just-in-time creation of a person and login for someone HR and SCIM never provisioned: off by default,
# and then only for verified emails in these domains.
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", False)
OIDC_CREATE_USER_DOMAINS = [domain.lower() for domain in env_list("OIDC_CREATE_USER_DOMAINS", [])]
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_LOGOUT_AT_PROVIDER = env_bool("OIDC_LOGOUT_AT_PROVIDER", True)
# Password sign-in; off, only superusers (the break-glass accounts) may sign in with a password.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
# What mozilla-django-oidc reads: code flow with PKCE (S256), state and nonce, the ID token kept for sign-out.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
if SSO_ENABLED:
    if IS_PRODUCTION and not OIDC_ISSUER.startswith("https://"):
        raise ImproperlyConfigured("OIDC_ISSUER must be an https:// address in production.")
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured("OIDC_SCOPES must include openid.")
    if OIDC_RP_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"}:
        raise ImproperlyConfigured("OIDC_SIGN_ALGORITHM must be an asymmetric JWS algorithm such as RS256.")
if OIDC_CREATE_USER and not OIDC_CREATE_USER_DOMAINS:
    raise ImproperlyConfigured("OIDC_CREATE_USER needs OIDC_CREATE_USER_DOMAINS (the email domains it may create).")
if not PASSWORD_SIGN_IN and not SSO_ENABLED:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN=false needs OIDC_ISSUER: otherwise only superusers could sign in.")

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The API: machine clients with scoped bearer tokens (enablement.api.clients.services), people with their session.
REST_FRAMEWORK = {
    # Bearer tokens first: a request without one falls through to the session, and the first class's
    # `WWW-Authenticate` makes an unauthenticated API request a 401 rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "enablement.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every API view checks token scopes, whatever its base class: a view naming none refuses tokens.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "enablement.api.permissions.ScopedPermission",
    ],
    "DEFAULT_PAGINATION_CLASS": "enablement.api.sync.SyncPagination",
    "PAGE_SIZE": 50,
    # DRF's parsers, refusing what nothing after them could take: JSON nested too deep, and a NUL, an unpaired
    # surrogate or a number beyond 64 bits anywhere in a body (400s naming the field; enablement/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "enablement.api.parsers.JSONParser",
        "enablement.api.parsers.FormParser",
        "enablement.api.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "enablement.api.openapi.ScopedAutoSchema",
    # Every error in one JSON shape: {"status", "code", "detail", "errors"?} (enablement/api/errors.py).
    "EXCEPTION_HANDLER": "enablement.api.errors.api_exception_handler",
    # Per caller (a token's client, a person, an address): a burst window and a sustained one, each a 429
    # with Retry-After when exceeded (enablement/api/throttling.py). The defaults leave room for a full sync of
    # 10,000 people (ten bulk requests of 1,000, then the paged reads of every collection: a few hundred
    # requests) and for a CI run of the schemathesis suite; a runaway loop hits the burst limit in seconds.
    "DEFAULT_THROTTLE_CLASSES": [
        "enablement.api.throttling.BurstRateThrottle",
        "enablement.api.throttling.SustainedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "burst": env_str("API_THROTTLE_BURST_RATE", "600/min"),
        "sustained": env_str("API_THROTTLE_SUSTAINED_RATE", "10000/hour"),
    },
    # Which X-Forwarded-For entry is the caller's address for the anonymous throttle (none: REMOTE_ADDR).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

# The largest request body Django reads, and the API answers 413 above it (ApiErrorMiddleware): a bulk
# people request of 1,000 rows is about 400 KB of JSON.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
# How long `ApiRequestLog` rows are kept; a daily task deletes older ones (prune_api_request_log_task).
API_REQUEST_LOG_RETENTION_DAYS = env_int("API_REQUEST_LOG_RETENTION_DAYS", 90)

# The cache: API throttle counts and the cached schema. Redis when CACHE_URL (or REDIS_URL) names one,
# shared by every process; otherwise each process's own memory, which only suits the one-machine default
# (every web process then counts a client's requests on its own).
CACHE_URL = env_str("CACHE_URL", env_str("REDIS_URL", ""))
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Incremental sync (`?changed_since=`) answers rows stamped at least this long ago, so a write transaction
# still open cannot be passed over (enablement/api/sync.py). Longer than any write transaction, and than the
# clock difference between app servers.
API_SYNC_SETTLE_SECONDS = env_int("API_SYNC_SETTLE_SECONDS", 15)
# The most rows one `POST /api/v1/people/bulk/` may carry.
PEOPLE_BULK_MAX_ROWS = 1000

# The OpenAPI description of /api/v1/, at /api/schema/, with Swagger UI at /api/docs/ and Redoc at
# /api/redoc/, both served from this server's static files (drf-spectacular-sidecar): no CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "Sales Manager Enablement API",
    "DESCRIPTION": (
        "Role charters, the competency framework, hiring and coaching, for HR systems and scripts. "
        "Every operation names the token scope it needs; a signed-in browser session works too. "
        'The README (section "The API") describes who sees and changes what.'
    ),
    "VERSION": "v1",
    # OpenAPI 3.1 lets a bearer scheme's security requirement list the scopes it needs (3.0 allows that
    # for OAuth2 only), which is how each operation documents its token scope.
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["enablement.api.openapi.api_v1_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "enablement.api.openapi.nullable_as_type_null",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    # The description is public: its pages read no credentials, so a stale token cannot lock a reader out.
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI's defaults, and no online validator (it would send the schema's address to another host).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Names for the choice sets that share a field name ("status", "kind", "state") or a value set (levels).
    "ENUM_NAME_OVERRIDES": {
        "RequisitionStatusEnum": "managers.models.Requisition.Status",
        "CompetencyKindEnum": "managers.models.Competency.Kind",
        "SupportItemKindEnum": "managers.models.SupportItem.Kind",
        "ActivityKindEnum": "coaching.models.ActivityKind",
        "GoalStateEnum": "coaching.models.Goal.State",
        "LevelEnum": [(level, level) for level in range(1, 5)],  # managers.models.LEVELS
        "PulseResultStatusEnum": "coaching.pulse.api.serializers.FIGURE_STATUSES",
        "PulseSeriesKindEnum": "coaching.models.PulseSeries.Kind",
        "PulseSeriesCadenceEnum": "coaching.models.PulseSeries.Cadence",
        "CadenceEnum": "managers.models.SuccessMetric.Cadence",  # the charter metrics', named before pulses came
        "PulseStateEnum": "coaching.models.Pulse.State",
        "FeedbackActionStateEnum": "coaching.models.FeedbackAction.State",
        "BulkRowStatusEnum": ["created", "updated", "unchanged", "error"],  # people and readings in bulk
        "SupportRequestKindEnum": "managers.models.SupportRequest.Kind",
        "SupportRequestStateEnum": "managers.models.SupportRequest.State",
        "ImpactFlagLeverEnum": ["clarity", "skills", "support", "performance"],
        "LeverEnum": "coaching.models.Lever",  # the pulse questions' levers
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A send that hangs must fail (and retry) well before a stale claim lets another worker send it again.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "enablement@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when CELERY_BROKER_URL says so, otherwise kombu's filesystem transport on a local
# folder, so one laptop needs no broker to install.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost//")
CELERY_BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(VAR_DIR / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's transport with atomic writes and claims, where a damaged message file is moved aside
    # instead of stopping the worker (enablement/broker.py); the URL stays filesystem://.
    CELERY_BROKER_TRANSPORT = "enablement.broker:Transport"
    # kombu does not create these, and whoever sends first (web, beat or worker) needs them.
    for _folder in ("queue", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        # The transport polls its folder; kombu's default of a second delays every task by up to that.
        "polling_interval": 0.1,
    }
else:
    # Redis redelivers a message nobody acknowledged within this time; no task here runs that long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues, each with workers of its own (README, "Running on PostgreSQL and Redis"): webhook deliveries
# wait on receivers that may hang for their whole timeout, so thousands of them for a dead host must not
# hold up reminders, sweeps or the heartbeat on the default queue. The default keeps Celery's name, so
# messages queued before the split are still consumed. The names are settings so that several deployments
# can share one broker (and each integration test's workers get their own).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_DEFAULT_QUEUE", "celery")
WEBHOOK_QUEUE = env_str("CELERY_WEBHOOK_QUEUE", "webhooks")
for _variable, _queue in (("CELERY_DEFAULT_QUEUE", CELERY_TASK_DEFAULT_QUEUE), ("CELERY_WEBHOOK_QUEUE", WEBHOOK_QUEUE)):
    if not re.fullmatch(r"[A-Za-z0-9_-]+", _queue):  # it becomes part of file names on the embedded broker
        raise ImproperlyConfigured(f"{_variable} must be letters, digits, - and _, not {_queue!r}.")
# Declared, so a worker started without --queues consumes both and no task waits in a queue nobody reads
# (each name once: the integration tests give both the same name).
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name) for name in dict.fromkeys([CELERY_TASK_DEFAULT_QUEUE, WEBHOOK_QUEUE])
]
CELERY_TASK_ROUTES = {"enablement.webhooks.tasks.*": {"queue": WEBHOOK_QUEUE}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = None  # no result backend, so no nightly cleanup task in beat
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /healthz says "degraded" when no worker has run the heartbeat task (beat queues it every minute on the
# default queue) for longer than this: workers down, or the default queue backed up.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env_int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", 180, minimum=1)

# Reminders. SITE_URL makes the links in emails absolute.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# A delivery claimed this long ago by a worker that never finished is taken over by the next sweep.
REMINDER_STALE_CLAIM_MINUTES = env_int("REMINDER_STALE_CLAIM_MINUTES", 10)
# After this many delivery attempts (retries, or workers dying mid-send) a reminder is marked failed.
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 6)
# Digest hour for people who chose a digest but never set their own (in TIME_ZONE).
REMINDER_DEFAULT_DIGEST_HOUR = env_int("REMINDER_DEFAULT_DIGEST_HOUR", 8)
# Charters: remind a holder N days after they were asked to acknowledge, tell their manager after M days;
# remind the leader who published a charter this many days before its review is due.
CHARTER_ACK_REMIND_AFTER_DAYS = env_int("CHARTER_ACK_REMIND_AFTER_DAYS", 3)
CHARTER_ACK_ESCALATE_AFTER_DAYS = env_int("CHARTER_ACK_ESCALATE_AFTER_DAYS", 7)
CHARTER_REVIEW_REMIND_DAYS_BEFORE = env_int("CHARTER_REVIEW_REMIND_DAYS_BEFORE", 14)
# A scorecard not submitted this long after its interview is flagged and its interviewer reminded;
# after SCORECARD_ESCALATE_AFTER_HOURS the recruiter is told.
SCORECARD_OVERDUE_AFTER_HOURS = env_int("SCORECARD_OVERDUE_AFTER_HOURS", 24)
SCORECARD_ESCALATE_AFTER_HOURS = env_int("SCORECARD_ESCALATE_AFTER_HOURS", 48)
# Coaching tasks: the assignee is reminded this many days before the due date, on it and once overdue;
# COACHING_TASK_ESCALATE_AFTER_DAYS after it the coach is told.
COACHING_TASK_DUE_SOON_DAYS = env_int("COACHING_TASK_DUE_SOON_DAYS", 3)
COACHING_TASK_ESCALATE_AFTER_DAYS = env_int("COACHING_TASK_ESCALATE_AFTER_DAYS", 3)
# Team pulses (README, "Team pulse"): no figure below PULSE_MIN_RESPONDENTS people (clamped to 3..10), no
# comment below PULSE_MIN_COMMENTERS (never below the former); small teams pool PULSE_POOL_DAYS. The
# pseudonym secret never goes in the database; by default it is derived from DJANGO_SECRET_KEY.
PULSE_MIN_RESPONDENTS = env_int("PULSE_MIN_RESPONDENTS", 5)
PULSE_MIN_COMMENTERS = env_int("PULSE_MIN_COMMENTERS", 8)
PULSE_POOL_DAYS = env_int("PULSE_POOL_DAYS", 90)
PULSE_PSEUDONYM_SECRET = env_str("PULSE_PSEUDONYM_SECRET", "")
# Recognition against gaming: a daily cap per giver; a thank-you returned within N days is flagged and not
# counted; once a giver has given AFTER, at most SHARE percent of theirs count towards one person.
RECOGNITION_DAILY_CAP = env_int("RECOGNITION_DAILY_CAP", 5)
RECOGNITION_RETURN_WINDOW_DAYS = env_int("RECOGNITION_RETURN_WINDOW_DAYS", 14)
RECOGNITION_CONCENTRATION_AFTER = env_int("RECOGNITION_CONCENTRATION_AFTER", 5)
RECOGNITION_MAX_SHARE_PERCENT = env_int("RECOGNITION_MAX_SHARE_PERCENT", 25)
RECOGNITION_COVERAGE_DAYS = env_int("RECOGNITION_COVERAGE_DAYS", 60)
# Support (README, "Support"): a holder is asked to rate their charter's support again once their last rating
# is SUPPORT_RATING_EVERY_DAYS old; a support request's owner is expected to respond within
# SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS working days (Monday to Friday), after which the owner's manager
# and the raiser's manager are told, once each.
SUPPORT_RATING_EVERY_DAYS = env_int("SUPPORT_RATING_EVERY_DAYS", 91)
SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS = env_int("SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS", 5)

# Outbound webhooks (enablement.webhooks; README, "Webhooks"). After the n-th failed attempt the next one
# waits the n-th number of seconds here; after the last, the delivery fails. Every wait is capped so the
# last attempt falls within WEBHOOK_RETRY_WINDOW_HOURS of the event (or of a redelivery).
WEBHOOK_RETRY_SCHEDULE = env_numbers("WEBHOOK_RETRY_SCHEDULE", [5, 300, 1800, 7200, 18000, 36000], of="seconds")
WEBHOOK_RETRY_WINDOW_HOURS = env_int("WEBHOOK_RETRY_WINDOW_HOURS", 24)
# Per attempt, in total: connecting, TLS, sending and reading the answer, however slowly a receiver trickles
# it (the host's lookup counts too, though a stuck resolver stops at its own timeout). Redirects are never
# followed.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Whether endpoints may be on this machine or a private network (loopback, private, link-local addresses):
# off in production, so an endpoint cannot make the worker call internal services (checked when the URL is
# saved, and against every address the host resolves to when sending). On with DEBUG.
WEBHOOK_ALLOW_PRIVATE_HOSTS = env_bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", DEBUG)
# A delivery claimed this long ago by a worker that never finished is taken over by the next sweep.
WEBHOOK_CLAIM_LEASE_SECONDS = env_int("WEBHOOK_CLAIM_LEASE_SECONDS", 300)
if not 0 < WEBHOOK_TIMEOUT_SECONDS <= WEBHOOK_CLAIM_LEASE_SECONDS / 2:  # else a slow attempt is sent twice
    raise ImproperlyConfigured(
        "WEBHOOK_TIMEOUT_SECONDS must be above 0 and at most half of WEBHOOK_CLAIM_LEASE_SECONDS."
    )
# A retry due within this many seconds is queued with a countdown; later ones wait for the beat sweep
# (every 30 s).
WEBHOOK_SWEEP_INTERVAL_SECONDS = env_int("WEBHOOK_SWEEP_INTERVAL_SECONDS", 30)
# The sweep leaves a due delivery alone this long after it was queued (its task is on its way), then
# queues it again: a lost task costs at most this delay, and a busy queue gets no duplicate every sweep.
WEBHOOK_REQUEUE_AFTER_SECONDS = env_int("WEBHOOK_REQUEUE_AFTER_SECONDS", 60)
# After a secret rotation the old secret keeps signing beside the new one this long.
WEBHOOK_SECRET_GRACE_HOURS = env_int("WEBHOOK_SECRET_GRACE_HOURS", 24)
# Events (with their deliveries and attempts) older than this are deleted by a daily task.
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"one_line_client_errors": {"()": "enablement.web.log_filters.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # A 403 (or another 4xx) is one line with its reason, not a traceback; 5xx keep theirs.
    "loggers": {"django.request": {"filters": ["one_line_client_errors"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

if IS_PRODUCTION:
    # Only behind a TLS-terminating proxy that sets X-Forwarded-Proto; otherwise a client could claim HTTPS.
    if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters in production.")
