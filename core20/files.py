"""Helpers for files kept in a storage (receipts, the demo's sample files)."""

from pathlib import Path

from django.core.files.storage import FileSystemStorage, Storage


def remove_empty_folders(storage: Storage, name: str) -> None:
    """Remove the folders that deleting the file ``name`` left empty (for a receipt,
    hours/receipts/<claim>/), up to but never including the storage's own folder.

    Only for storage on the local disk: other storages have no folders to leave behind
    (and no ``path``), so nothing is done. A folder that still holds something, or cannot
    be removed, stops the walk; nothing is raised."""
    if not isinstance(storage, FileSystemStorage):
        return
    root = Path(storage.location).resolve()
    folder = Path(storage.path(name)).resolve().parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()  # only when empty
        except OSError:
            return
        folder = folder.parent
