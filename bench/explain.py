"""EXPLAIN the public queries on the benchmark archive: is an index used?

``bench/run.py`` runs this (``python bench/explain.py`` with the bench
environment); it can also be run alone against any PostgreSQL database
(``DATABASE_URL``).  For the release list, each filter (org, tag,
partnership, year, month, place) and search it prints the plan's top nodes,
the time of ``EXPLAIN ANALYZE``, and whether an index was used — for the
page of results (what every request runs) and for the facet counts (what a
cold request runs once per content state).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

INDEX_NODE = re.compile(r"(Index Only Scan|Index Scan|Bitmap Index Scan)[^\n]*? on (\w+)")


def cases() -> list[tuple[str, dict[str, str]]]:
    from django.db.models import Count

    from contacts.models import Partnership
    from releases.models import PressRelease, ReleaseOrganisation

    published = PressRelease.objects.published()
    org = (
        ReleaseOrganisation.objects.values("organisation__slug")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["organisation__slug"]
    )
    partnership = (
        Partnership.objects.public().filter(releases__isnull=False).values("slug").first()["slug"]
    )
    newest = published.order_by("-publish_at").first().publish_at
    year = str(newest.year - 1)
    return [
        ("list", {}),
        ("org", {"org": org}),
        ("tag", {"tag": "migration"}),
        ("partnership", {"partnership": partnership}),
        ("year", {"year": year}),
        ("year+month", {"year": year, "month": "6"}),
        ("place", {"place": "Karachi"}),
        ("org+tag", {"org": org, "tag": "migration"}),
        ("search", {"q": "volunteers trained"}),
        ("search+org", {"q": "volunteers trained", "org": org}),
    ]


def plan_of(sql: str, params: list) -> tuple[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
    text = "\n".join(lines)
    match = re.search(r"Execution Time: ([\d.]+) ms", text)
    return text, float(match.group(1)) if match else float("nan")


def top_nodes(plan: str, n: int = 4) -> list[str]:
    nodes = [line.strip() for line in plan.splitlines() if "->" in line or not line[:1].isspace()]
    nodes = [re.sub(r"\s+\(cost=[^)]*\)", "", node).removeprefix("-> ").strip() for node in nodes]
    return [node for node in nodes if not node.startswith(("Planning", "Execution"))][:n]


def explain() -> list[dict]:
    from django.conf import settings
    from django.db import connection

    from releases.models import PressRelease
    from search import query as release_search
    from search.filters import apply_filters, facet_counts

    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN needs PostgreSQL (set DATABASE_URL)")
    results = []
    for name, params in cases():
        qs, _ = apply_filters(PressRelease.objects.published(), params)
        query = params.get("q", "")
        outcome = release_search.search(qs, query) if query else None
        listing = (outcome.queryset if outcome else qs.order_by("-publish_at", "-id")).defer(
            "search_vector"
        )[: settings.NEWSROOM_PAGE_SIZE]
        page_plan, page_ms = plan_of(*listing.query.sql_with_params())
        # The facet query as facet_counts builds it (one UNION ALL).
        facet_sql = _facet_sql(facet_counts, outcome.queryset if outcome else qs)
        facet_plan, facet_ms = plan_of(*facet_sql)
        results.append(
            {
                "case": name,
                "params": params,
                "page_ms": page_ms,
                "page_indexes": sorted(set(INDEX_NODE_names(page_plan))),
                "page_top": top_nodes(page_plan),
                "facet_ms": facet_ms,
                "facet_indexes": sorted(set(INDEX_NODE_names(facet_plan))),
            }
        )
    return results


def INDEX_NODE_names(plan: str) -> list[str]:  # noqa: N802 - reads as the regex it wraps
    return [match.group(2) for match in INDEX_NODE.finditer(plan)]


def _facet_sql(facet_counts, qs) -> tuple[str, list]:
    """The SQL facet_counts runs, captured rather than rebuilt by hand."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        facet_counts(qs, months=True)
    # Re-run through EXPLAIN with the literal SQL (params already inlined).
    return ctx.captured_queries[-1]["sql"], []


def print_report(results: list[dict]) -> None:
    print("\nEXPLAIN ANALYZE on the archive (page of 20 results; facet counts, cold)")
    head = f"{'case':<14}{'page ms':>9}  {'index used by the page':<46}{'facets ms':>10}  index?"
    print(head)
    print("-" * len(head))
    for row in results:
        used = ", ".join(row["page_indexes"]) or "NO INDEX"
        print(
            f"{row['case']:<14}{row['page_ms']:>9.2f}  {used[:46]:<46}{row['facet_ms']:>10.1f}"
            f"  {'yes' if row['facet_indexes'] else 'NO'}"
        )
    print("\nTop plan nodes of each page query:")
    for row in results:
        print(f"  {row['case']}: " + " / ".join(row["page_top"]))


def main() -> None:
    import django

    django.setup()
    results = explain()
    print_report(results)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "explain.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
