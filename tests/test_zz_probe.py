import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.test_query_budgets import PUBLIC_PAGES, _archive, _cold, _admin_urls
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

def test_probe(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 5
    facts = _archive(25)
    for page in PUBLIC_PAGES:
        url = page.url(facts)
        row = []
        for phase in ("cold", "warm"):
            if phase == "cold":
                _cold()
            with CaptureQueriesContext(connection) as q:
                r = client.get(url)
                if r.streaming:
                    b"".join(r.streaming_content)
            row.append(len(q))
            if phase == "cold" and len(q) > page.budget:
                print("\n   ", "\n    ".join(x["sql"][:150] for x in q.captured_queries))
        print(f"PROBE {page.name:35} {r.status_code} cold={row[0]} warm={row[1]} budget={page.budget}")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name, url in _admin_urls():
        with CaptureQueriesContext(connection) as q:
            r = client.get(url)
        print(f"PROBE admin {name:30} {r.status_code} {len(q)}")
