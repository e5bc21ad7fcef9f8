"""Uploads are held in memory only, never in a temporary file.

Django's default handlers write an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a
temporary file, in clear: a photo of someone's injuries, a case list, a bank statement would
then sit on the disk (and in its free blocks) before it is checked and encrypted.
`MemoryOnlyUploadHandler` (settings.FILE_UPLOAD_HANDLERS) keeps every file of a request in
memory up to FILE_UPLOAD_MAX_MEMORY_SIZE together, and drops whatever goes over it — the file
is then missing from `request.FILES` and its name is in `dropped_uploads(request)`, so the view
can say which file was too large instead of "choose a file".
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

_DROPPED = "_pompolit_dropped_uploads"


def limit() -> int:
    return int(settings.FILE_UPLOAD_MAX_MEMORY_SIZE)


def dropped_uploads(request: HttpRequest) -> list[str]:
    """The names of the files of this request dropped for going over the limit."""
    return list(getattr(request, _DROPPED, []))


class MemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.buffer = io.BytesIO()
        self.total = 0  # bytes kept of this request's files so far

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.total + len(raw_data) > limit():
            self.total -= self.buffer.tell()  # the file's part kept so far is let go too
            self.buffer = io.BytesIO()
            if self.request is not None:
                dropped = getattr(self.request, _DROPPED, [])
                dropped.append(self.file_name or "")
                setattr(self.request, _DROPPED, dropped)
            raise SkipFile
        self.buffer.write(raw_data)
        self.total += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name or "", self.content_type,
            file_size, self.charset, self.content_type_extra,
        )
