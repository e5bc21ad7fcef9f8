from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

from pompolit.vault.keyring import ring
from pompolit.vault.middleware import sealed_page

F = TypeVar("F", bound=Callable[..., HttpResponse])


def requires_unsealed[F: Callable[..., HttpResponse]](view: F) -> F:
    """For pages that would be useless sealed: the "sealed" page at once, before any work."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ring.is_unsealed():
            return sealed_page(request)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
