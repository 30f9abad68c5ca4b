"""The reach panel of one release: page views per day (an SVG bar chart drawn
on the server: no script, nothing the strict CSP would refuse), downloads,
and the alerts' deliveries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from alerts.models import Delivery
from reach.models import DailyCount
from releases.models import PressRelease

DAYS = 30
WIDTH, HEIGHT, PAD = 600, 160, 24


@dataclass
class Bar:
    day: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Panel:
    release: PressRelease
    bars: list[Bar]
    views: int
    downloads: int
    deliveries: int
    peak: int
    first_day: datetime.date
    last_day: datetime.date

    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - PAD


def build(release: PressRelease, today: datetime.date | None = None) -> Panel:
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=DAYS - 1)
    rows = DailyCount.objects.filter(release=release)
    per_day = dict(
        rows.filter(kind=DailyCount.Kind.VIEW, day__gte=first).values_list("day", "count")
    )
    peak = max(per_day.values(), default=0)
    slot = (WIDTH - 2 * PAD) / DAYS
    usable = HEIGHT - 2 * PAD
    bars = []
    for n in range(DAYS):
        day = first + datetime.timedelta(days=n)
        value = per_day.get(day, 0)
        height = (value / peak * usable) if peak else 0
        bars.append(
            Bar(
                day=day,
                count=value,
                x=round(PAD + n * slot + 1, 1),
                y=round(HEIGHT - PAD - height, 1),
                width=round(slot - 2, 1),
                height=round(height, 1),
            )
        )
    totals = dict(rows.values("kind").annotate(total=Sum("count")).values_list("kind", "total"))
    deliveries = Delivery.objects.filter(release=release, status__in=[Delivery.Status.SENT]).count()
    return Panel(
        release=release,
        bars=bars,
        views=totals.get(DailyCount.Kind.VIEW, 0) or 0,
        downloads=totals.get(DailyCount.Kind.DOWNLOAD, 0) or 0,
        deliveries=deliveries,
        peak=peak,
        first_day=first,
        last_day=today,
    )


def reach_action(modeladmin, request, queryset):
    from django.contrib import messages
    from django.http import HttpResponseRedirect
    from django.urls import reverse

    if queryset.count() != 1:
        messages.error(request, "Choose one release to see its reach.")
        return None
    return HttpResponseRedirect(reverse("admin:reach_panel", args=[queryset.get().pk]))


def plug_release_admin() -> None:
    """Add "Reach…" to the release list's actions, for those who may read reach."""
    from core.admin_actions import plug_action

    plug_action(
        PressRelease, "reach", reach_action, "Reach (views, downloads)…", "reach.view_dailycount"
    )
