from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@never_cache
@require_GET
def healthz(request):
    """200 when every configured dependency answers, 503 otherwise."""
    checks = {"database": health.database_ok()}
    broker = health.broker_ok()
    if broker is not None:
        checks["broker"] = broker
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: "ok" if ok else "failing" for name, ok in checks.items()},
    }
    if broker is None:
        body["checks"]["broker"] = "not configured (tasks run in-process)"
    return JsonResponse(body, status=200 if healthy else 503)
