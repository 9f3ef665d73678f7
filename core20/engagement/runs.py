"""Imports and XLSX exports of activities as ActivityRuns, run by a background task (the
pattern of core20.places.runs). The run records status, progress, counts and errors, so
that its page can show them while the task works; a failed import changes nothing."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.engagement import access
from core20.engagement.importer import ImportFailed, import_file
from core20.engagement.models import ActivityRun

logger = logging.getLogger(__name__)

UPLOAD_DIR = "activity-imports"
EXPORT_DIR = "activity-exports"


def _folder(name: str) -> Path:
    folder = Path(settings.MEDIA_ROOT) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_upload(upload: UploadedFile) -> Path:
    path = _folder(UPLOAD_DIR) / f"{uuid.uuid4().hex}-{get_valid_filename(upload.name)[-150:]}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


def _enqueue(run: ActivityRun) -> ActivityRun:
    from core20.engagement.tasks import run_activity_task

    result = run_activity_task.enqueue(run.pk)
    ActivityRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:100])
    run.refresh_from_db()
    return run


def start_import(*, by, site, upload: UploadedFile) -> ActivityRun:
    """Keep the file and queue its import (host coordinators and national admins)."""
    if not access.can_manage_site(by, site):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    path = save_upload(upload)
    run = ActivityRun.objects.create(
        site=site,
        kind=ActivityRun.Kind.IMPORT,
        file_name=upload.name[:255],
        file_path=str(path),
        started_by=by,
        phase="Waiting to start",
    )
    return _enqueue(run)


def start_export(*, by, site) -> ActivityRun:
    """Queue an XLSX export of every activity of the site (the site's team)."""
    if not access.can_view_site(by, site):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    run = ActivityRun.objects.create(
        site=site,
        kind=ActivityRun.Kind.EXPORT,
        file_name=f"activities-{site.slug}-{stamp}.xlsx",
        started_by=by,
        phase="Waiting to start",
    )
    return _enqueue(run)


def _update(run_id: int, **fields) -> None:
    ActivityRun.objects.filter(pk=run_id).update(**fields)


class _Progress:
    """Records a run's progress where its page can read it while the import's own
    transaction is still open (the writing phases run in one transaction, all or nothing).

    On PostgreSQL the update goes over a second connection of its own, committed at once;
    the import's transaction never touches the run's row, so neither waits for the other.
    SQLite allows one writer at a time, so there the progress written during the writing
    phases is seen when the import commits."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.side = None  # the second PostgreSQL connection, opened when first needed

    def __call__(self, done: int, total: int | None, phase: str) -> None:
        fields = {"rows_done": done, "rows_total": total, "phase": phase[:200]}
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            self._write_aside(fields)
        else:
            _update(self.run_id, **fields)

    def _write_aside(self, fields: dict) -> None:
        if self.side is None:
            self.side = connection.get_new_connection(connection.get_connection_params())
            self.side.autocommit = True
        meta = ActivityRun._meta
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(meta.get_field(f).column)} = %s" for f in fields)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 (model metadata)
                f"WHERE {quote(meta.pk.column)} = %s",
                [*fields.values(), self.run_id],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def execute_run(run_id: int) -> ActivityRun:
    """Run an ActivityRun now, recording progress and the outcome on it. Never raises for
    bad data: the run says what was wrong (and nothing was changed)."""
    run = ActivityRun.objects.select_related("started_by", "site").get(pk=run_id)
    if run.finished:
        return run
    _update(run_id, status=ActivityRun.Status.RUNNING, started_at=timezone.now(), phase="Starting")

    progress = _Progress(run_id)
    try:
        if run.kind == ActivityRun.Kind.IMPORT:
            result = import_file(
                run.file_path,
                site=run.site,
                actor=run.started_by,
                file_label=run.file_name,
                run_id=run.pk,
                progress=progress,
            )
            outcome = {
                "status": ActivityRun.Status.SUCCEEDED,
                "counts": {"rows": result.rows, "added": result.created, "skipped": result.skipped},
                "summary": result.summary[:500],
                "rows_done": result.rows,
                "rows_total": result.rows,
                "phase": "Finished",
            }
        else:
            from core20.engagement.exports import write_xlsx

            path = _folder(EXPORT_DIR) / f"{run.pk}-{uuid.uuid4().hex}.xlsx"
            rows = write_xlsx(run.site, path, progress=progress)
            with transaction.atomic():
                record(
                    actor=run.started_by,
                    verb=AuditEvent.Verb.EXPORT,
                    object_type="engagement.Activity",
                    object_label=f"Activities of {run.site} (XLSX)",
                    site=run.site,
                    summary=f"Exported {rows:,} activities as XLSX",
                )
            outcome = {
                "status": ActivityRun.Status.SUCCEEDED,
                "file_path": str(path),
                "counts": {"rows": rows},
                "summary": f"{rows:,} activit{'y' if rows == 1 else 'ies'} ready to download",
                "rows_done": rows,
                "rows_total": rows,
                "phase": "Finished",
            }
    except ImportFailed as exc:
        count = len(exc.messages) + exc.more
        errors = list(exc.messages)
        if exc.more:
            errors.append(f"… and {exc.more:,} more problems")
        outcome = {
            "status": ActivityRun.Status.FAILED,
            "errors": errors,
            "summary": (
                f"Nothing was changed: {count:,} problem{'s' if count != 1 else ''} "
                "found in the file."
            ),
            "phase": "Stopped",
        }
    except Exception as exc:  # a bug or an unreadable file: record it, don't lose the run
        logger.exception("Activity run %s failed", run_id)
        outcome = {
            "status": ActivityRun.Status.FAILED,
            "errors": [f"Unexpected error: {exc.__class__.__name__}: {exc}"[:1000]],
            "summary": "Nothing was changed: the run stopped with an unexpected error.",
            "phase": "Stopped",
        }
    finally:
        progress.close()
        if run.kind == ActivityRun.Kind.IMPORT and run.file_path:
            Path(run.file_path).unlink(missing_ok=True)
    _update(run_id, finished_at=timezone.now(), **outcome)
    return ActivityRun.objects.get(pk=run_id)
