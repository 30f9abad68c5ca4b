"""``/metrics`` in Prometheus' text format, for the scraper and nobody else.

django-prometheus's two middlewares count requests, responses by status and
latencies; this view writes out the process' registry.  Access: the bearer
token ``NEWSROOM_METRICS_TOKEN`` or a client address in
``NEWSROOM_METRICS_ALLOW`` (the address the socket saw, ``REMOTE_ADDR``: a
forwarded header could be forged).  Anyone else gets the site's 404, so the
endpoint's existence is not announced; with neither setting it is a 404 for all.

Each gunicorn worker process has its own counters: a scrape sees the worker
that answered.  For totals across workers set ``PROMETHEUS_MULTIPROC_DIR``
(prometheus_client's multi-process mode), as docs/OPERATIONS.md says.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from core.http import public_cache_exempt


def allowed(request: HttpRequest) -> bool:
    """The one access rule of ``/metrics``."""
    token = settings.NEWSROOM_METRICS_TOKEN
    auth = request.headers.get("Authorization", "")
    if (
        token
        and auth.startswith("Bearer ")
        and hmac.compare_digest(auth.removeprefix("Bearer ").encode(), token.encode())
    ):
        return True
    allow = settings.NEWSROOM_METRICS_ALLOW
    return bool(allow) and request.META.get("REMOTE_ADDR", "") in allow


@public_cache_exempt
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
