"""Periodic work of the apps above ``alerts``, run by the alerts' sweep.

The worker has one clock: the alerts' sweep, which books its own next run
(``alerts.tasks.schedule_sweep``).  Apps above ``alerts`` (journalists'
yearly re-confirmation, the press room's advance notices, media-list sends)
cannot be imported from here, so they plug in at start-up, in their
``AppConfig.ready()``::

    from alerts import sweeps
    sweeps.register("pressroom", pressroom.tasks.run_sweep, repeatable=[send_notice])

``repeatable`` lists tasks that are safe to run twice (each send claimed
before it goes): a worker that dies mid-task leaves its row RUNNING, and the
sweep enqueues those again, as it does the alerts' own.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)

#: name -> the function run with the sweep's instant; its result is reported.
_SWEEPS: dict[str, Callable[[datetime.datetime], Any]] = {}
#: task module path -> task: safe to enqueue again after a worker died.
_REPEATABLE: dict[str, Any] = {}


def register(
    name: str,
    func: Callable[[datetime.datetime], Any],
    *,
    repeatable: Iterable[Any] = (),
) -> None:
    """Run ``func(now)`` at each sweep; revive ``repeatable`` tasks left by a dead worker."""
    _SWEEPS[name] = func
    for task in repeatable:
        _REPEATABLE[task.module_path] = task


def repeatable_tasks() -> dict[str, Any]:
    return dict(_REPEATABLE)


def run_all(now: datetime.datetime) -> dict[str, Any]:
    """Each registered sweep once; one that fails is logged and does not stop the others."""
    results: dict[str, Any] = {}
    for name, func in _SWEEPS.items():
        try:
            results[name] = func(now)
        except Exception:  # one app's failure must not stop the alerts
            logger.exception("sweep %s failed", name)
            results[name] = "failed"
    return results
