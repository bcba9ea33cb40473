"""The health endpoint for load balancers and monitoring: no login, no personal data."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lider.core.install import cache_answers, database_answers
from lider.core.permissions import PUBLIC


@never_cache
@require_safe
def health(request):
    """200 with {"database": "ok", "cache": "ok"}; 503 when the database does not answer (this
    server cannot serve pages); a broken cache is reported but still 200 (pages work slower)."""
    database = database_answers()
    cache = cache_answers()
    body = {
        "status": "ok" if database and cache else "error",
        "database": "ok" if database else "error",
        "cache": "ok" if cache else "error",
    }
    return JsonResponse(body, status=200 if database else 503)


health.lider_permission = PUBLIC
