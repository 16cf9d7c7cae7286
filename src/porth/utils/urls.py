"""`reverse`, remembered: a journey page names two or three URLs, and Django's `reverse`
costs about as much as reading the journey from the database."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=8192)
def _reverse(root: str, prefix: str, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, args=args)


def cached_reverse(name: str, *args: str) -> str:
    """`reverse(name, args=args)`. The URL configuration and the script prefix are part of
    the key; only use it for arguments from a small set (slugs, page ids)."""
    return _reverse(settings.ROOT_URLCONF, get_script_prefix(), name, args)
