"""Two gunicorn instances on one host keep their own control sockets.

gunicorn 27 puts its control socket at one path per user and deletes it when
it stops; gunicorn.conf.py names it after the bound address instead.  Real
gunicorn processes, real sockets, a real `gunicornc` round trip.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.alerts.support import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _start(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "newsroom.wsgi:application"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_until(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live/", timeout=2):
            return True
    except OSError:
        return False


def _ctl(sock: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "gunicornc"), "-s", str(sock), "-c", "show workers"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


def test_two_instances_keep_their_own_control_socket(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir(mode=0o700)
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "HOME": str(tmp_path),  # gunicorn's own default would be $HOME/.gunicorn/gunicorn.ctl
        "XDG_RUNTIME_DIR": str(run_dir),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}"),
    }
    env.pop("GUNICORN_CONTROL_SOCKET", None)
    port_a, port_b = free_port(), free_port()
    sock_a = run_dir / f"127.0.0.1_{port_a}.ctl"
    sock_b = run_dir / f"127.0.0.1_{port_b}.ctl"
    a, b = _start(port_a, env), _start(port_b, env)
    try:
        assert _wait_until(lambda: sock_a.exists() and sock_b.exists()), sorted(
            p.name for p in run_dir.iterdir()
        )
        assert _wait_until(lambda: _answers(port_a) and _answers(port_b))
        assert not (tmp_path / ".gunicorn" / "gunicorn.ctl").exists()

        os.killpg(a.pid, signal.SIGTERM)
        a.wait(timeout=30)
        assert not sock_a.exists()  # the stopped one cleaned up its own…
        assert sock_b.exists()  # …and left the other's alone
        reply = _ctl(sock_b)
        assert reply.returncode == 0, reply.stderr
        assert _answers(port_b)
    finally:
        for proc in (a, b):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


def test_control_socket_can_be_switched_off(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir(mode=0o700)
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(run_dir),
        "GUNICORN_CONTROL_SOCKET": "off",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    port = free_port()
    proc = _start(port, env)
    try:
        assert _wait_until(lambda: _answers(port))
        assert list(run_dir.iterdir()) == []
        assert not (tmp_path / ".gunicorn").exists()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_the_procfile_is_valid_and_its_web_process_serves(tmp_path: Path) -> None:
    """`honcho check` accepts the Procfile, and `honcho start web` serves on the port it gives."""
    check = subprocess.run(
        [str(BIN / "honcho"), "check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    assert "web" in check.stderr + check.stdout and "worker" in check.stderr + check.stdout
    port = free_port()
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("GUNICORN_BIND", None)
    proc = subprocess.Popen(
        [str(BIN / "honcho"), "start", "-p", str(port), "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert _wait_until(lambda: _answers(port)), "the Procfile's web process did not answer"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
