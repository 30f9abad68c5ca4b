"""Gunicorn settings for ``make serve``; every value can be set from the environment.

GUNICORN_BIND        address to listen on (default 0.0.0.0:$PORT, PORT default 8000)
WEB_CONCURRENCY      worker processes (default 2 x CPU cores, at least 2)
GUNICORN_THREADS     threads per worker (default 1)
GUNICORN_TIMEOUT     seconds before a silent worker is killed and restarted (default 30)
FORWARDED_ALLOW_IPS  proxies trusted to set X-Forwarded-* (default 127.0.0.1)
GUNICORN_CONTROL_SOCKET  path of this instance's control socket (for `gunicornc -s`),
                     or "off"; default one per bound address, see below

Logs (access and errors) go to standard output/error, where a container
runtime or systemd collects them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import stat
import tempfile
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


# The control socket (gunicorn >= 25, `gunicornc`).  Gunicorn's default is one
# path per user (~/.gunicorn/gunicorn.ctl or $XDG_RUNTIME_DIR/gunicorn.ctl),
# and an instance deletes that path when it stops: two servers on one host
# (`make serve` beside `make bench`, or two app nodes) would take each other's
# socket away.  So each instance gets its own path, named after the addresses
# it actually listens on (unique on a host, and stable across restarts, so an
# operator can find it: `gunicornc -s /tmp/newsroom-gunicorn-0/127.0.0.1_8000.ctl`).
# It is chosen in when_ready, once the listeners are bound (a `-b` on the
# command line is honoured) and before the control server starts.
_CONTROL_SOCKET = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _CONTROL_SOCKET.lower() in {"off", "0", "no", "false", "none"}:
    control_socket_disable = True
elif _CONTROL_SOCKET:
    control_socket = _CONTROL_SOCKET


def control_socket_dir() -> str:
    """A directory only this user may use: $XDG_RUNTIME_DIR, or a private one in the temp dir.

    The temp directory is shared by every user, so the folder is created 0700
    and refused if someone else owns it or it is a symbolic link.
    """
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime):
        return runtime
    path = os.path.join(tempfile.gettempdir(), f"newsroom-gunicorn-{os.getuid()}")
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise RuntimeError(f"{path} is not a private directory of this user; remove it")
    return path


def control_socket_path(addresses: list[str]) -> str:
    """The control socket of the instance listening on ``addresses``."""
    bare = sorted(re.sub(r"^[a-z]+:(//)?", "", address) for address in addresses)
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", "+".join(bare)).strip("_") or "gunicorn"
    return os.path.join(control_socket_dir(), f"{name[:80]}.ctl")


def when_ready(server: Any) -> None:
    """Give this instance its own control socket, unless one was chosen or it is off."""
    cfg = server.cfg
    if cfg.control_socket_disable or _CONTROL_SOCKET:
        return
    if cfg.settings["control_socket"].value != cfg.settings["control_socket"].default:
        return  # --control-socket on the command line
    path = control_socket_path([str(listener) for listener in server.LISTENERS])
    cfg.set("control_socket", path)
    server.log.info("Control socket: %s", path)
