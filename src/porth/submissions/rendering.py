"""Rendering a page's questions, with the blank ones cached.

The GOV.UK macros are most of a question page's rendering time. A question with no answer
and no error renders the same for everyone (given the definition version and language), so
that HTML is kept; anything showing a citizen's answer or error is rendered fresh and never
kept, so no personal data sits in the cache.
"""

from typing import Any

from django.template import engines
from markupsafe import Markup

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
