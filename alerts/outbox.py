"""The staff outbox: every delivery, filtered, and one address's history.

Read-only: it answers "did it go?" — what was sent, is queued, failed,
bounced or was suppressed, for one release, one address or all — without
opening the database.  The admin page (``alerts.admin``) only renders what
:func:`read` returns; a filter it does not understand is ignored and said,
never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import QueryDict

from alerts.models import Delivery, Subscriber, Suppression

PER_PAGE = 50


@dataclass
class Outbox:
    page: Page
    counts: list[tuple[str, str, int]]  # (status, label, rows) under the other filters
    filters: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    subscriber: Subscriber | None = None
    suppression: Suppression | None = None

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.counts)


def _positive_int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 12 else None


def read(params: QueryDict) -> Outbox:
    """Deliveries newest first, narrowed by ``status``, ``kind``, ``q`` (an
    address or part of it), ``release`` and ``subscriber`` (ids)."""
    rows: QuerySet = Delivery.objects.all()
    filters: dict[str, str] = {}
    ignored: list[str] = []
    kind = params.get("kind", "")
    if kind:
        if kind in Delivery.Kind.values:
            rows, filters["kind"] = rows.filter(kind=kind), kind
        else:
            ignored.append(f"kind “{kind[:40]}”")
    q = params.get("q", "").strip()[:254]
    if q:
        rows, filters["q"] = rows.filter(subscriber__email__icontains=q.lower()), q
    for name, lookup in (("release", "release_id"), ("subscriber", "subscriber_id")):
        raw = params.get(name, "")
        if raw:
            number = _positive_int(raw)
            if number is None:
                ignored.append(f"{name} “{raw[:40]}”")
            else:
                rows, filters[name] = rows.filter(**{lookup: number}), str(number)
    per_status = dict(
        rows.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    counts = [(value, label, per_status.get(value, 0)) for value, label in Delivery.Status.choices]
    status = params.get("status", "")
    if status:
        if status in Delivery.Status.values:
            rows, filters["status"] = rows.filter(status=status), status
        else:
            ignored.append(f"status “{status[:40]}”")
    listed = rows.select_related("release", "subscriber").order_by("-created_at", "-id")
    page = Paginator(listed, PER_PAGE).get_page(params.get("page"))
    outbox = Outbox(page=page, counts=counts, filters=filters, ignored=ignored)
    if "subscriber" in filters:
        outbox.subscriber = (
            Subscriber.objects.filter(pk=int(filters["subscriber"]))
            .prefetch_related("subscriptions")
            .first()
        )
        if outbox.subscriber is not None:
            outbox.suppression = Suppression.objects.filter(email=outbox.subscriber.email).first()
    return outbox
