"""Rendering a page's questions, with the blank ones cached.

The GOV.UK macros are most of a question page's rendering time. A question with no answer
and no error renders the same for everyone (given the definition version and language), so
that HTML is kept; anything showing a citizen's answer or error is rendered fresh and never
kept, so no personal data sits in the cache.
"""

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.template.backends.utils import csrf_input
from django.template.loader import get_template
from django.utils.translation import get_language
from markupsafe import Markup, escape

from porth.services import questions
from porth.services.definition import Definition, Page

MAX_KEPT = 20_000
_blank: dict[tuple[str, str, str, str, str], Markup] = {}


def _macro() -> Any:
    return engines["jinja2"].env.get_template("questions/question.html").module.question  # type: ignore[attr-defined]


def render_questions(
    definition: Definition,
    page: Page,
    values: dict[str, Any],
    errors: dict[str, tuple[Any, str]],
    language: str,
) -> dict[str, Markup]:
    single = len(page.fields) == 1 and page.title is None
    out = {}
    for q in page.fields:
        qtype = questions.get(q.type)
        error = errors.get(q.id)
        blank = error is None and not any(values.get(k) for k in qtype.keys(q))
        key = (definition.slug, definition.version, page.id, q.id, language)
        if blank and key in _blank:
            out[q.id] = _blank[key]
            continue
        html = Markup(_macro()(q, qtype.template, language, values, error, single))
        if blank:
            if len(_blank) >= MAX_KEPT:  # only after many definition versions
                _blank.clear()
            _blank[key] = html
        out[q.id] = html
    return out


def warm() -> None:
    """Compile the templates and render every blank question once, in each language.

    Run by the WSGI module as each worker starts, so that no citizen pays for it.
    """
    from django.conf import settings
    from django.utils import translation

    from porth.services import registry

    for definition in registry.definitions().values():
        for language, _ in settings.LANGUAGES:
            with translation.override(language):
                for page in definition.pages:
                    render_questions(definition, page, {}, {}, language)
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(name)


# --- Whole pages -------------------------------------------------------------------------
# A page with no errors is the same for everyone but for four things: the back link, the
# CSRF input, the questions (which show the citizen's answers) and the assisted digital
# banner (shown only to staff applying on someone's behalf; empty for citizens). The rest — header,
# footer, headings, markdown — is rendered once per page and language into a "shell" with
# slots, and each request only fills the slots.

_SLOT = "\ue000"  # a private-use character: never in a definition or a template
_SLOTTED = re.compile(f"{_SLOT}([a-z_:0-9-]+){_SLOT}")
_shells: dict[tuple[str, ...], list[str]] = {}


def _slot(name: str) -> Markup:
    return Markup(f"{_SLOT}{name}{_SLOT}")


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    shell_key: tuple[str, ...] | None,
) -> HttpResponse:
    """Render `template`; with a shell key, from the remembered shell of that page."""
    if shell_key is None:
        return render(request, template, context)
    shell = _shells.get(shell_key)
    if shell is None:
        slotted = {
            **context,
            "language": get_language(),
            "back_url": _slot("back_url"),
            "csrf_input": _slot("csrf_input"),
            "assisted_banner": _slot("assisted_banner"),
            "questions": {qid: _slot(f"q:{qid}") for qid in context["questions"]},
        }
        # No request: it would replace the CSRF slot with this citizen's token.
        html = get_template(template).render(slotted)
        if _SLOT in "".join(_SLOTTED.split(html)[::2]):
            raise RuntimeError(f"{template}: a slot was escaped or split")
        if len(_shells) >= MAX_KEPT:
            _shells.clear()
        shell = _shells[shell_key] = _SLOTTED.split(html)
    fill = {
        "back_url": escape(context["back_url"]),
        "csrf_input": str(csrf_input(request)),
        "assisted_banner": str(context.get("assisted_banner") or ""),
        **{f"q:{qid}": html for qid, html in context["questions"].items()},
    }
    # split() alternates text and slot names: every odd item is a slot.
    parts = [fill[part] if i % 2 else part for i, part in enumerate(shell)]
    return HttpResponse("".join(parts))
