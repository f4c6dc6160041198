"""/healthz: is the web process up, can it reach the database, and is a worker running its tasks."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from enablement.health.selectors import worker_health


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: the database answers, and a worker ran the heartbeat recently.
    "degraded" still answers 200, so a load balancer keeps serving pages while the workers lag."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    workers = worker_health()
    status = "ok" if workers["worker"] == "ok" else "degraded"
    return JsonResponse({"status": status, "database": "ok", **workers})
