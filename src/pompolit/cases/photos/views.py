"""A person's photo: uploaded on the case page, served to the compartment, and to the public
only while the consent in force names it (the work is in services.py).

The upload is held in memory only (`InMemoryPhotoHandler`): Django would otherwise write a
large upload to a temporary file, and the photo, before it is cleaned and encrypted, is
exactly what must not touch the disk.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from pompolit.cases.photos import services as photos
from pompolit.cases.views import case_from_request
from pompolit.core.views import flash_errors
from pompolit.members.policy import (
    CASE_WORKER_IN_COMPARTMENT,
    PUBLIC,
    MemberRequest,
    current_member,
    requires,
)


class InMemoryPhotoHandler(FileUploadHandler):
    """Keeps each uploaded file in memory whatever its size, and stops reading one past the
    photo size limit (the file is then dropped and `too_large` says why)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large = False
        self.buffer = io.BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > photos.max_bytes():
            self.too_large = True
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name or "", self.content_type,
            file_size, self.charset, self.content_type_extra,
        )


def image_response(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=photos.CONTENT_TYPE)
    add_never_cache_headers(response)  # Cache-Control: no-store, for the public too
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = 'inline; filename="photo.jpg"'
    return response


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_GET
def case_photo(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    data = photos.read_photo(current_member(request), case_from_request(request, pk))
    if data is None:
        raise Http404
    return image_response(data)


@requires(CASE_WORKER_IN_COMPARTMENT)
@csrf_exempt  # checked by csrf_protect below, once the upload handler is in place
@require_POST
def case_photo_upload(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    handler = InMemoryPhotoHandler(request)
    request.upload_handlers = [handler]
    return _upload(request, compartment, pk, handler)


@csrf_protect
def _upload(request: MemberRequest, compartment: str, pk: int,
            handler: InMemoryPhotoHandler) -> HttpResponse:
    case = case_from_request(request, pk)
    upload = request.FILES.get("photo")
    try:
        if handler.too_large:
            raise photos.too_large()
        if upload is None:
            raise ValidationError(_("Choose a photo to upload."))
        photos.set_photo(current_member(request), case, upload.read())
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The photo is saved, without its metadata, encrypted."))
    return redirect("case_detail", compartment=compartment, pk=pk)


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_POST
def case_photo_remove(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    try:
        photos.remove_photo(current_member(request), case_from_request(request, pk))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The photo is removed."))
    return redirect("case_detail", compartment=compartment, pk=pk)


@requires(PUBLIC)
@require_GET
def public_case_photo(request: HttpRequest, public_id: str) -> HttpResponse:
    data = photos.public_photo(public_id)
    if data is None:
        raise Http404
    return image_response(data)
