"""Response helpers for the pages every citizen sees."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpResponse

# What Django's never_cache sets, as constants: it formats today's date for Expires and
# merges Cache-Control on every response, which showed in the profile of a question page.
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"
EXPIRED = "Thu, 01 Jan 1970 00:00:00 GMT"


def no_store[V: Callable[..., HttpResponse]](view: V) -> V:
    """Like `django.views.decorators.cache.never_cache`: browsers and proxies keep no copy
    (journey pages show personal data, and a back button must fetch them afresh)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        response.headers["Cache-Control"] = NO_STORE
        response.headers["Expires"] = EXPIRED
        return response

    return wrapped  # type: ignore[return-value]
