"""The API: DRF, its limits and sync, the cache behind its throttles, and its OpenAPI description."""

from enablement.env import env_int, env_str
from enablement.settings.base import TRUSTED_PROXY_COUNT

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
