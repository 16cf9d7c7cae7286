"""Pages rendered once into a "shell" with slots, and filled per request ("shells").

Most of a citizen's page is the same for everyone: header, footer, headings, markdown. It is
rendered once per page and language, with markers where the per-request parts go (the back
link, the CSRF input, the questions, a reference…), and each request only fills the markers.

What is kept can hold nothing of one citizen's by construction: a shell is rendered from the
`shared` context alone (no request, no journey), and is keyed by every value in it (plain
values as they are, and the types apps register with `key_by`, such as a definition by its
slug and version; anything else is refused), the template and the language. Whatever depends on the request goes in a slot,
or in `whole`, which renders the page afresh and keeps nothing.

The shell's text is kept encoded (UTF-8), so that only the slots are encoded per request.
With the optimisation off, every page is rendered whole.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import get_language
from markupsafe import Markup, escape

from porth import fastpath

from .csrf import hidden_input

MAX_KEPT = 20_000
_SLOT = "\ue000"  # a private-use character: never in a definition or a template
_shells: dict[tuple[Any, ...], list[Any]] = {}  # bytes, slot name, bytes, …, bytes

# A slot's value: text (escaped), Markup (as is), or a mapping of those (e.g. questions by id).
Slots = Mapping[str, Any]


def _marker(name: str) -> Markup:
    return Markup(f"{_SLOT}{name}{_SLOT}")


def _markers(slots: Slots) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in slots.items():
        if isinstance(value, Mapping):
            out[name] = {key: _marker(f"{name}:{key}") for key in value}
        else:
            out[name] = _marker(name)
    return out


def _html(value: Any) -> str:
    """A slot's value as HTML: Markup as it is, anything else escaped."""
    if isinstance(value, Markup):
        return value
    if value is None or value == "":
        return ""
    return escape(value)


def _values(slots: Slots) -> dict[str, str]:
    # The Mapping ABC is asked only about what is neither text nor a dict, and Markup is not
    # escaped again: both showed in a question page's profile.
    out: dict[str, str] = {}
    for name, value in slots.items():
        if isinstance(value, dict) or (
            value is not None and not isinstance(value, str) and isinstance(value, Mapping)
        ):
            out.update({f"{name}:{key}": _html(v) for key, v in value.items()})
        else:
            out[name] = _html(value)
    return out


def _plain(value: Any) -> Any:
    return value


def _sequence(value: Any) -> Any:
    return tuple(_key(item) for item in value)


# How a value of each type is keyed: plain values as they are, lists item by item, and the
# types apps register with `key_by`; any other type is refused.
_keyers: dict[type, Callable[[Any], Any]] = {
    type(None): _plain,
    str: _plain,
    int: _plain,
    bool: _plain,
    list: _sequence,
    tuple: _sequence,
}


def key_by[T](kind: type[T], keyer: Callable[[T], Any]) -> None:
    """Let values of `kind` be shared in a shell, keyed by `keyer(value)`: something hashable
    that is equal for two values only if they render the same."""
    _keyers[kind] = keyer


def _key(value: Any) -> Any:
    """What `value` renders as, for the shell's key."""
    keyer = _keyers.get(type(value))
    if keyer is None:
        raise TypeError(f"a shell cannot be keyed by {type(value).__name__}: put it in a slot")
    return keyer(value)


# Slots every page has, filled from the request by the app that registered them (the link
# to a signed-in citizen's applications in the header): name -> fill(request). A shell is
# shared by everyone, so anything that depends on who is asking must be one of these.
_page_slots: dict[str, Callable[[HttpRequest], Any]] = {}


def add_page_slot(name: str, fill: Callable[[HttpRequest], Any]) -> None:
    """Give every page rendered through `render_page` the slot `name`, filled per request
    by `fill(request)` (text or Markup; "" for nothing). Call it in AppConfig.ready()."""
    _page_slots[name] = fill


def render_page(
    request: HttpRequest,
    template: str,
    shared: dict[str, Any],
    *,
    slots: Slots,
    whole: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render `template` with `shared` and `slots`, from the shell made of `shared` alone.

    `whole`: more context that depends on the request (an error summary, a search): the page
    is rendered afresh and kept nowhere."""
    if _page_slots:
        slots = {**slots, **{name: fill(request) for name, fill in _page_slots.items()}}
    if whole is not None or not fastpath.on("shells"):
        return render(request, template, {**shared, **(whole or {}), **slots})
    language = get_language()
    shell_key = (template, language, *((name, _key(v)) for name, v in sorted(shared.items())))
    shell = _shells.get(shell_key)
    if shell is None:
        markers = {**_markers(slots), "csrf_input": _marker("csrf_input")}
        # No request: it would put this citizen's CSRF token in place of its marker.
        html = get_template(template).render({**shared, "language": language, **markers})
        parts = html.split(_SLOT)  # text, slot name, text, slot name, …, text
        if len(parts) % 2 == 0 or not all(s in markers or ":" in s for s in parts[1::2]):
            raise RuntimeError(f"{template}: a slot marker was escaped or split")
        shell = [part if i % 2 else part.encode() for i, part in enumerate(parts)]
        if len(_shells) >= MAX_KEPT:  # only after many definition versions
            _shells.clear()
        _shells[shell_key] = shell
    values = _values(slots)
    if "csrf_input" in shell[1::2]:
        values["csrf_input"] = str(hidden_input(request))
    return HttpResponse(
        b"".join(values[part].encode() if i % 2 else part for i, part in enumerate(shell)),
        charset="utf-8",
    )
