"""Large imports run by the worker, with a progress indicator; small ones in the request.

A confirmed import of more than ``MEDIALISTS_IMPORT_WORKER_ROWS`` rows
(default 2,000) would hold a web worker for long seconds, so it is queued::

    confirm ─► queue(): ready → queued (one conditional UPDATE: a second
    click queues nothing), the mapping and consent source stored; the admin
    enqueues the task once committed ─► the progress page (it refreshes itself)

    run() in the worker: queued → checking (claimed once) ─► the rows
    checked (importing.plan), ``processed_rows`` saved every PROGRESS_EVERY
    rows ─► writing ─► importing.apply, one transaction: all or nothing
    ─► done, with the same report as a small import (created, updated,
    skipped and why), and the file's text emptied

Progress is written outside the import's transaction, so the page sees it
while the worker works; the writing step itself is one transaction (all or
nothing), so the page says "writing" until it commits.  Any error leaves
nothing written and the upload *failed* with a message for the person who
uploaded it: never a half-written import, never a 500.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

from medialists import importing
from medialists.models import ImportUpload

logger = logging.getLogger(__name__)
Status = ImportUpload.Status
#: How often (in rows) the check step saves its progress.
PROGRESS_EVERY = 500
#: Skipped lines kept in the report (the counts are always whole).
REPORT_SKIPS = 500


def in_worker(row_count: int) -> bool:
    """Whether an import of ``row_count`` rows goes to the worker."""
    return row_count > settings.MEDIALISTS_IMPORT_WORKER_ROWS


def report(result: importing.Plan, counts: dict[str, int]) -> dict:
    """The report of an import: counts, new outlets and the skipped lines."""
    skips = [
        [r.line, r.reason, r.values.get("name", ""), r.values.get("email", "")]
        for r in result.rows
        if r.action == "skip"
    ]
    return {**counts, "new_outlets": result.new_outlets, "skips": skips[:REPORT_SKIPS]}


def queue(upload: ImportUpload, mapping: dict[str, int], source: str, total: int) -> bool:
    """Mark a confirmed upload for the worker; False if it already was.  The
    caller enqueues ``medialists.tasks.run_import`` when this says True."""
    claimed = ImportUpload.objects.filter(pk=upload.pk, status=Status.READY).update(
        status=Status.QUEUED,
        mapping=mapping,
        source=source[:200],
        total_rows=total,
        processed_rows=0,
    )
    return bool(claimed)


def run(upload_id: int) -> dict:
    """The worker's import of one upload (see the module docstring)."""
    if not ImportUpload.objects.filter(pk=upload_id, status=Status.QUEUED).update(
        status=Status.CHECKING
    ):
        return {"skipped": "not waiting"}
    upload = ImportUpload.objects.get(pk=upload_id)
    progress = Progress(upload_id)
    try:
        header, rows = importing.read_rows(upload.text, upload.file_kind)
        mapping = {field: int(index) for field, index in upload.mapping.items()}
        ImportUpload.objects.filter(pk=upload_id).update(total_rows=len(rows))
        result = importing.plan(header, rows, mapping, progress=progress, every=PROGRESS_EVERY)
        # The writing step's own count: the rows to create or update.
        ImportUpload.objects.filter(pk=upload_id).update(
            status=Status.WRITING,
            processed_rows=0,
            total_rows=len(result.rows) - result.count("skip"),
        )
        counts = importing.apply(
            result, upload.consent_basis, upload.source, progress=progress, every=PROGRESS_EVERY
        )
    except importing.ImportFileError as error:
        return _failed(upload_id, str(error))
    except Exception:
        logger.exception("media-list import %s failed", upload_id)
        return _failed(
            upload_id,
            "The import stopped on an unexpected error; nothing was written. "
            "Try again, or split the file; the error is in the worker's log.",
        )
    finally:
        progress.close()
    outcome = report(result, counts)
    ImportUpload.objects.filter(pk=upload_id).update(
        status=Status.DONE, result=outcome, text="", finished_at=timezone.now()
    )
    return counts


class Progress:
    """Saves an import's ``processed_rows`` where the progress page sees it.

    Inside the import's transaction an UPDATE would stay invisible until the
    end, so on PostgreSQL the worker writes its progress through a second
    connection of its own (autocommit, a short lock timeout).  Elsewhere
    (SQLite, or a caller already inside a transaction) progress is saved only
    outside the transaction: the checking step counts, the writing step says
    "writing" until it commits."""

    def __init__(self, upload_id: int) -> None:
        self.upload_id = upload_id
        self.side = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        # The model's own table (medialists_importupload); nothing user-given.
        self.sql = "UPDATE medialists_importupload SET processed_rows = %s WHERE id = %s"

    def __call__(self, done: int) -> None:
        if self.side is not None:
            try:
                with self.side.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '2s'")
                    cursor.execute(self.sql, [done, self.upload_id])
            except DatabaseError:
                logger.warning("import %s: progress not saved", self.upload_id)
        elif not connection.in_atomic_block:
            ImportUpload.objects.filter(pk=self.upload_id).update(processed_rows=done)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _failed(upload_id: int, message: str) -> dict:
    ImportUpload.objects.filter(pk=upload_id).update(
        status=Status.FAILED, error=message, text="", finished_at=timezone.now()
    )
    return {"failed": message}


def state(upload: ImportUpload) -> dict:
    """What the progress page and its JSON say."""
    total = upload.total_rows
    done = upload.processed_rows
    return {
        "status": upload.status,
        "label": upload.get_status_display(),
        "processed_rows": done,
        "total_rows": total,
        "percent": int(100 * done / total) if total else 0,
        "finished": upload.status in (Status.DONE, Status.FAILED),
        "result": {k: v for k, v in upload.result.items() if k != "skips"},
        "error": upload.error,
    }
