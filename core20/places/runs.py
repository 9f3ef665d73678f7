"""Running imports as ImportRuns: from the import page (as a background task) or from a
management command (in the foreground). The run records status, progress, counts, messages
and errors, so that the page can show them while the task works."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import get_valid_filename

from core20.places.importers import ImportFailed, get_importer, run_import
from core20.places.importers.base import Counts
from core20.places.importers.reference import load_reference
from core20.places.models import ImportRun

logger = logging.getLogger(__name__)

REFERENCE = "reference"  # the kind that loads everything shipped in data/reference/places/
UPLOAD_DIR = "place-imports"


def kind_label(kind: str) -> str:
    if kind == REFERENCE:
        return "All the reference data shipped with Core20 Connect"
    return get_importer(kind).label


def save_upload(upload: UploadedFile) -> Path:
    """Keep an uploaded file where the task worker can read it (MEDIA_ROOT/place-imports)."""
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}-{get_valid_filename(upload.name)[-150:]}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


def is_upload(path: Path) -> bool:
    """Whether ``path`` is a copy ``save_upload`` kept (in MEDIA_ROOT/place-imports)."""
    folder = (Path(settings.MEDIA_ROOT) / UPLOAD_DIR).resolve()
    return path.resolve().parent == folder


def create_run(
    *, kind: str, user=None, path: Path | None = None, file_name: str = "", layout: str = ""
) -> ImportRun:
    if kind != REFERENCE:
        get_importer(kind)  # raises ValueError for an unknown kind
    return ImportRun.objects.create(
        kind=kind,
        layout=layout or "",
        file_name=file_name or (path.name if path else ""),
        file_path=str(path) if path else "",
        started_by=user if getattr(user, "is_authenticated", False) else None,
        phase="Waiting to start",
    )


def start_run(
    *,
    kind: str,
    user,
    upload: UploadedFile | None = None,
    layout: str = "",
    options: dict | None = None,
) -> ImportRun:
    """Create the run and queue it as a background task (the task backend runs it)."""
    from core20.places.tasks import run_import_task

    path = save_upload(upload) if upload is not None else None
    run = create_run(
        kind=kind, user=user, path=path, file_name=upload.name if upload else "", layout=layout
    )
    result = run_import_task.enqueue(run.pk, options or {})
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:100])
    run.refresh_from_db()
    return run


def _update(run_id: int, **fields) -> None:
    ImportRun.objects.filter(pk=run_id).update(**fields)


def execute_run(run_id: int, options: dict | None = None) -> ImportRun:
    """Run an ImportRun now, recording progress and the outcome on it. Never raises for
    bad data: the run says what was wrong (and nothing was changed)."""
    run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    if run.finished:
        return run
    _update(run_id, status=ImportRun.Status.RUNNING, started_at=timezone.now(), phase="Starting")
    actor = run.started_by

    def progress(done: int, total: int | None, phase: str) -> None:
        _update(run_id, rows_done=done, rows_total=total, phase=phase[:200])

    try:
        if run.kind == REFERENCE:
            results = load_reference(
                actor=actor,
                on_file=lambda done, total, name: progress(
                    done, total, f"Loading {name}" if name else "Finishing"
                ),
            )
            total = Counts()
            for r in results:
                total += r.counts
            outcome = {
                "status": ImportRun.Status.SUCCEEDED,
                "counts": {**total.as_dict(), "files": len(results)},
                "summary": f"{len(results)} files loaded: {total}",
                "messages": [r.summary for r in results],
                "rows_done": len(results),
                "rows_total": len(results),
                "phase": "Finished",
            }
        else:
            result = run_import(
                run.kind,
                run.file_path,
                layout=run.layout or None,
                file_label=run.file_name or None,
                actor=actor,
                progress=progress,
                options=options or {},
            )
            outcome = {
                "status": ImportRun.Status.SUCCEEDED,
                "layout": result.layout,
                "counts": {**result.counts.as_dict(), "skipped": result.skipped},
                "summary": result.summary[:500],
                "messages": result.messages,
                "rows_done": result.rows,
                "rows_total": result.rows,
                "phase": "Finished",
            }
    except ImportFailed as exc:
        count = len(exc.issues) + exc.more
        outcome = {
            "status": ImportRun.Status.FAILED,
            "errors": exc.messages,
            "summary": (
                f"Nothing was changed: {count:,} problem{'s' if count != 1 else ''} "
                "found in the file."
            ),
            "phase": "Stopped",
        }
    except Exception as exc:  # a bug or an unreadable file: record it, don't lose the run
        logger.exception("Import run %s failed", run_id)
        outcome = {
            "status": ImportRun.Status.FAILED,
            "errors": [f"Unexpected error: {exc.__class__.__name__}: {exc}"[:1000]],
            "summary": "Nothing was changed: the import stopped with an unexpected error.",
            "phase": "Stopped",
        }
    finally:
        if run.file_path and run.kind != REFERENCE and is_upload(Path(run.file_path)):
            # An uploaded copy is ours to delete; a file named to `manage.py import_places`
            # is the user's own and stays.
            Path(run.file_path).unlink(missing_ok=True)
    _update(run_id, finished_at=timezone.now(), **outcome)
    return ImportRun.objects.get(pk=run_id)
