"""Gunicorn settings for ``make serve``; every value can be set from the environment.

GUNICORN_BIND        address to listen on (default 0.0.0.0:$PORT, PORT default 8000)
WEB_CONCURRENCY      worker processes (default 2 x CPU cores, at least 2)
GUNICORN_THREADS     threads per worker (default 1)
GUNICORN_TIMEOUT     seconds before a silent worker is killed and restarted (default 30)
FORWARDED_ALLOW_IPS  proxies trusted to set X-Forwarded-* (default 127.0.0.1)

Logs (access and errors) go to standard output/error, where a container
runtime or systemd collects them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

from gunicorn.http import wsgi as _wsgi

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, 2 * multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Recycle workers now and then so a slow leak can never take the site down;
# the jitter keeps them from all restarting at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

# Refuse absurd request lines and headers early (hostile input never reaches Django).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# No "Server: gunicorn" header: naming the server and its version helps
# nobody but someone matching it against a list of known flaws. Gunicorn has
# no setting for it, so its response's default headers are filtered here,
# once, in the master before the workers fork.
def _without_server_header(build: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    def default_headers(self: Any) -> list[str]:
        return [h for h in build(self) if not h.lower().startswith("server:")]

    return default_headers


_wsgi.Response.default_headers = _without_server_header(_wsgi.Response.default_headers)

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss "%(f)s" "%(a)s"'

# Heartbeat files in memory, not on a possibly slow disk (gunicorn's own
# recommendation; the files are private to the workers).
_SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM
