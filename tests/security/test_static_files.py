"""Static files in production: hashed names, compressed, cached for a year.

Run as production runs them: ``collectstatic`` with WhiteNoise's
``CompressedManifestStaticFilesStorage``, then a fresh process (DEBUG off)
whose middleware serves them.  The page templates link the hashed name, so
a deploy that changes a file changes its address, and a browser may keep
the old one forever.
"""

from __future__ import annotations

import json
import re

from tests.security.test_security_settings import production_env, run_python

FETCH = """
import json, django
django.setup()
from django.templatetags.static import static
from django.test import Client
client = Client(HTTP_HOST="news.example.org")
url = static("css/newsroom.css")
answers = {}
for name, path, encoding in [
    ("hashed", url, "gzip"),
    ("plain", url, ""),
    ("unhashed", "/static/css/newsroom.css", "gzip"),
]:
    response = client.get(path, secure=True, HTTP_ACCEPT_ENCODING=encoding)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    answers[name] = {
        "status": response.status_code,
        "cache_control": response.get("Cache-Control", ""),
        "encoding": response.get("Content-Encoding", ""),
        "vary": response.get("Vary", ""),
        "size": len(body),
    }
print(json.dumps({"url": url, "answers": answers}))
"""


def test_static_files_are_hashed_compressed_and_cached_for_a_year(tmp_path):
    env = production_env(STATIC_ROOT=str(tmp_path / "static"))
    collected = run_python(["manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert list((tmp_path / "static" / "css").glob("newsroom.*.css.gz"))

    result = run_python(["-c", FETCH], env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"/static/css/newsroom\.[0-9a-f]{12}\.css", data["url"]), data["url"]

    hashed, plain, unhashed = (data["answers"][k] for k in ("hashed", "plain", "unhashed"))
    assert hashed["status"] == plain["status"] == 200
    max_age = int(re.search(r"max-age=(\d+)", hashed["cache_control"]).group(1))
    assert max_age >= 365 * 24 * 3600, hashed["cache_control"]
    assert "immutable" in hashed["cache_control"] and "public" in hashed["cache_control"]
    # Compressed for a client that accepts it, and caches keep both copies apart.
    assert hashed["encoding"] == "gzip" and "Accept-Encoding" in hashed["vary"]
    assert plain["encoding"] == "" and hashed["size"] < plain["size"]
    # The unhashed name (nothing links it) is not kept a year: it changes in place.
    assert unhashed["status"] == 200
    unhashed_age = re.search(r"max-age=(\d+)", unhashed["cache_control"])
    assert "immutable" not in unhashed["cache_control"]
    assert unhashed_age is None or int(unhashed_age.group(1)) < 365 * 24 * 3600
