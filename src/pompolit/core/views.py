"""Small helpers every app's views share."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from pompolit.core.errors import error_messages


def add_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: next to its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def flash_errors(request: HttpRequest, error: Exception) -> None:
    for message in error_messages(error):
        messages.error(request, message)
