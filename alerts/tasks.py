"""The tasks the worker runs, written against Django's tasks API.

``django_tasks`` is the backport of ``django.tasks`` (Django 6): moving to
Django 6.2 changes the one import below.  The queue is the database
(``django_tasks_db``; ``manage.py db_worker``), chosen in ``settings.TASKS``.

Timed work never hangs on one job: an alert for a release scheduled at T is
enqueued to run at T, and :func:`sweep` — run by the worker every
``ALERTS_SWEEP_INTERVAL`` seconds and by ``manage.py alerts_sweep`` — sends
whatever should have gone and has not.  Each task asks ``published()``
before each send, so a job that fires for an embargo since moved or lifted
sends nothing.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task  # Django 6: from django.tasks import …

from alerts import audience, bulletin_mail, delivery, handover, sweeps
from alerts.models import (
    AlertRun,
    Delivery,
    SignupAttempt,
    Subscriber,
    Subscription,
    SweepClock,
)
from releases.models import PressRelease


@task()
def send_release_alerts(release_id: int) -> dict:
    """Fan out and send the alerts of one release (nothing if not public now)."""
    return delivery.send_release(release_id)


@task()
def send_digest(subscriber_id: int) -> dict:
    return delivery.send_digest(subscriber_id)


@task()
def send_bulletin(mailing_id: int) -> dict:
    """A bulletin as one e-mail (nothing unless every release of it is public now)."""
    return delivery.send_bulletin(mailing_id)


@task()
def send_confirmation(subscription_id: int) -> str:
    return delivery.send_confirmation(subscription_id)


@task()
def send_staff_notices(entry_id: int) -> int:
    return delivery.send_staff_notices(entry_id)


@task()
def scheduled_sweep() -> dict:
    """The worker's own sweep: do one, then book the next (one chain only)."""
    result = run_sweep()
    schedule_sweep(after=settings.ALERTS_SWEEP_INTERVAL)
    return result


def plan_release(release: PressRelease) -> None:
    """Enqueue the release's alerts for its instant, once the transaction
    that published or scheduled it has committed."""
    when = release.publish_at or timezone.now()
    AlertRun.objects.update_or_create(release=release, defaults={"planned_for": when})

    def enqueue() -> None:
        job = send_release_alerts
        if when > timezone.now():
            job = job.using(run_after=when)
        job.enqueue(release.pk)

    transaction.on_commit(enqueue)


def schedule_sweep(after: float = 0) -> bool:
    """Book the next :func:`scheduled_sweep` unless a live chain has.

    ``SweepClock`` holds the instant of the booked sweep.  A booking is made
    only when that instant has come (or there is none): a healthy chain's
    next sweep is in the future, so a worker's start adds nothing; a chain
    that died with a killed worker leaves it in the past, so the next start
    books again; two chains that meet become one (the second finds the clock
    moved on and stops).
    """
    now = timezone.now()
    due = now + datetime.timedelta(seconds=after)
    with transaction.atomic():
        clock = SweepClock.objects.select_for_update().filter(pk=1).first()
        if clock is not None and clock.next_run_at > now:
            return False
        SweepClock.objects.update_or_create(pk=1, defaults={"next_run_at": due})
        job = scheduled_sweep.using(run_after=due) if after else scheduled_sweep
        transaction.on_commit(job.enqueue)
    return True


def run_sweep(now: datetime.datetime | None = None) -> dict:
    """Send whatever should have gone and has not; safe to run any time.

    0. task rows left RUNNING by a worker that died are failed and enqueued again;
    1. rows whose claim's lease ran out (their worker died) are taken back
       (``alerts.handover.recover``): queued again if never handed over, sent
       again with the same Message-ID if in doubt;
    2. every release public within the look-back window whose fan-out is not
       finished is (re)enqueued — the task itself fans out idempotently;
    3. due digests, and bulletins to send as one e-mail that are complete, are enqueued;
    4. unconfirmed sign-ups past their time and old throttle rows go.
    """
    now = now or timezone.now()
    revived = revive_dead_tasks(now)
    taken_back = handover.recover(now)

    window = now - datetime.timedelta(hours=settings.ALERTS_SWEEP_LOOKBACK_HOURS)
    recent = PressRelease.objects.published(now).filter(publish_at__gte=window)
    finished = AlertRun.objects.filter(finished_at__isnull=False).values("release_id")
    pending = list(recent.exclude(pk__in=finished).values_list("pk", flat=True))
    # A finished run that got a queued row back (a temporary failure) goes again.
    pending += list(
        Delivery.objects.filter(
            kind=Delivery.Kind.ALERT, status=Delivery.Status.QUEUED, release__in=recent
        )
        .values_list("release_id", flat=True)
        .distinct()
    )
    for release_id in sorted(set(pending)):
        send_release_alerts.enqueue(release_id)

    digests = 0
    candidates = (
        Subscription.objects.active().exclude(frequency="immediate").select_related("subscriber")
    )
    due = {s.subscriber_id for s in candidates if audience.digest_due(s, now)}
    # A digest that failed for now is retried: its rows wait, queued, under their key.
    due |= set(
        Delivery.objects.filter(kind=Delivery.Kind.DIGEST, status=Delivery.Status.QUEUED)
        .exclude(digest_key="")
        .values_list("subscriber_id", flat=True)
        .distinct()
    )
    for subscriber_id in sorted(due):
        send_digest.enqueue(subscriber_id)
        digests += 1
    bulletins = bulletin_mail.due(now)
    for mailing_id in bulletins:
        send_bulletin.enqueue(mailing_id)

    limit = now - datetime.timedelta(hours=settings.ALERTS_CONFIRM_HOURS)
    expired, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=limit
    ).delete()
    Subscriber.objects.filter(confirmed_at__isnull=True, subscriptions__isnull=True).delete()
    SignupAttempt.objects.filter(created_at__lt=now - datetime.timedelta(days=1)).delete()
    # The periodic work of the apps above this one (``alerts.sweeps``).
    others = sweeps.run_all(now)
    return {
        **others,
        "revived": revived,
        "unknown": taken_back["unknown"],
        "claims_requeued": taken_back["requeued"],
        "in_doubt_resent": taken_back["in_doubt"],
        "releases": len(set(pending)),
        "digests": digests,
        "bulletins": len(bulletins),
        "expired": expired,
    }


def revive_dead_tasks(now: datetime.datetime | None = None) -> int:
    """Fail the alerts' task rows RUNNING past ``ALERTS_TASK_TIMEOUT_MINUTES``
        and enqueue each task again, with its arguments.

        django-tasks-db marks a row RUNNING when a worker claims it and settles
        it when the task returns or raises; a worker killed by SIGKILL (or a lost
        machine) leaves it RUNNING for ever, and nothing would run it again.
        Running an alerts task twice is safe — each delivery row is claimed
        before it is sent — so the sweep re-enqueues it.  Only this app's tasks
        are touched, and those other apps declared repeatable (``alerts.sweeps``;
    another task may not be safe to repeat), and only on
        the database backend (the one with rows).
    """
    if not apps.is_installed("django_tasks_db") or not any(
        str(options.get("BACKEND", "")).startswith("django_tasks_db")
        for options in settings.TASKS.values()
    ):
        return 0  # another queue (RQ…) has its own way of finding lost jobs
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    limit = now - datetime.timedelta(minutes=settings.ALERTS_TASK_TIMEOUT_MINUTES)
    ours = {
        t.module_path: t
        for t in (send_release_alerts, send_digest, send_bulletin, send_confirmation)
    }
    ours[send_staff_notices.module_path] = send_staff_notices
    ours.update(sweeps.repeatable_tasks())  # those the apps above declared safe to repeat
    revived = 0
    with transaction.atomic():
        dead = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=limit, task_path__in=list(ours))
            .order_by("started_at")[:500]
        )
        for row in dead:
            DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="alerts.tasks.WorkerDiedError",
                traceback=(
                    f"Still running after {settings.ALERTS_TASK_TIMEOUT_MINUTES} minutes "
                    f"on {', '.join(row.worker_ids) or 'a worker'}: enqueued again by the sweep."
                ),
            )
            task = ours[row.task_path]
            args, kwargs = row.args_kwargs.get("args", []), row.args_kwargs.get("kwargs", {})
            transaction.on_commit(lambda t=task, a=args, k=kwargs: t.enqueue(*a, **k))
            revived += 1
    return revived
