"""Uploaded files: capped while they arrive, kept only until confirmed, named as the user named them.

An upload is read by Django's upload handlers; ``LimitedUploadHandler`` comes first and stops the
request as soon as it declares (Content-Length) or delivers more than the import limit, so a
300 MB file is never written anywhere. A file that is read and not refused is kept for its
confirmation in ``$BEREKRAFT_HOME/uploads/<token>/<the user's file name>`` (a random token: two
uploads of the same file do not meet), so that the readers' problems name the user's file. It is
deleted after confirm, cancel or refusal; what a user left unconfirmed is swept after a day by the
next upload.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

FORM_OVERHEAD = 64 * 1024  # the form's other fields and the multipart framing
STALE_AFTER = 24 * 3600  # seconds
TOKEN = re.compile(r"[0-9a-f]{32}")
UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:]")


def folder() -> Path:
    path = Path(settings.HOME) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_name(name: str) -> str:
    """The user's file name without a path or control characters (it becomes a file name here)."""
    cleaned = UNSAFE.sub("_", Path(name or "").name).strip(" .")
    stem, suffix = cleaned[: -len(Path(cleaned).suffix) or None], Path(cleaned).suffix
    return (stem[:100] or "upload") + suffix[:10]


def store(uploaded: UploadedFile[Any], name: str) -> tuple[str, Path]:
    """Keep an uploaded file under a fresh token; returns (token, path)."""
    token = secrets.token_hex(16)
    target = folder() / token
    target.mkdir()
    path = target / name
    with path.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return token, path


def find(token: str) -> Path | None:
    """The file kept under ``token``, None when there is none (or the token is not one of ours)."""
    if not TOKEN.fullmatch(token):
        return None
    files = [p for p in (folder() / token).glob("*") if p.is_file()]
    return files[0] if len(files) == 1 else None


def discard(token: str) -> None:
    if TOKEN.fullmatch(token):
        shutil.rmtree(folder() / token, ignore_errors=True)


def discard_stale(now: float | None = None) -> int:
    """Delete what was left unconfirmed for more than a day; returns how many were deleted."""
    limit = (time.time() if now is None else now) - STALE_AFTER
    count = 0
    for entry in folder().iterdir():
        try:
            stale = entry.stat().st_mtime < limit
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
            count += 1
    return count


def too_large(request: HttpRequest) -> str | None:
    """The name of the file (or "") when the request was stopped for its size, else None."""
    refused = getattr(request, "berekraft_upload_too_large", None)
    return None if refused is None else str(refused)


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload that declares or delivers more than ``IMPORT_MAX_BYTES``; the
    request is marked (``too_large``) so that the view can say so. Django's own handlers follow it
    and keep what it lets through, so nothing past the limit is held in memory or on disk."""

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.declared_too_large = content_length > settings.IMPORT_MAX_BYTES + FORM_OVERHEAD
        self.received = 0
        if self.declared_too_large:  # the file part, when it comes, is stopped at its header
            self.request.berekraft_upload_too_large = ""  # type: ignore[union-attr]

    def _stop(self, name: str) -> None:
        self.request.berekraft_upload_too_large = name  # type: ignore[union-attr]
        raise StopUpload(connection_reset=True)

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if getattr(self, "declared_too_large", False):
            self._stop(file_name)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = getattr(self, "received", 0) + len(raw_data)
        if self.received > settings.IMPORT_MAX_BYTES:
            self._stop(self.file_name or "")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file
