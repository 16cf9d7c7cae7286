"""Rendering a page's questions and the check-your-answers rows, with what is the same for
everyone kept (the fast path's "shells": see porth.fastpath.shells).

The GOV.UK macros are most of a question page's rendering time. A question with no answer
and no error is rendered from the definition, page, question and language alone (no
citizen's values), and that HTML is kept under exactly those; anything showing a citizen's
answer or error is rendered fresh and never kept. Check-your-answers rows are kept without
their answer, which is filled in per request.
"""

from collections.abc import Sequence
from typing import Any

from django.template import engines
from django.template.loader import get_template
from django.utils.translation import gettext
from markupsafe import Markup, escape

from porth import fastpath
from porth.services import service as services
from porth.services.service import Definition, Page, engine, questions

MAX_KEPT = 20_000
_blank: dict[tuple[str, str, str, str, str, str], Markup] = {}
_rows: dict[tuple[str, str, str, str, str], tuple[str, str]] = {}
_VALUE = "\ue000value\ue000"  # a private-use character: never in a definition or a template


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
    keep = fastpath.on("shells")
    out = {}
    for q in page.fields:
        qtype = questions.get(q.type)
        error = errors.get(q.id)
        if not keep or error is not None or any(values.get(k) for k in qtype.keys(q)):
            out[q.id] = Markup(_macro()(q, qtype.template, language, values, error, single))
            continue
        # The variant too: an experiment's variant b words the same question otherwise.
        key = (definition.slug, definition.version, page.id, page.variant, q.id, language)
        html = _blank.get(key)
        if html is None:
            html = Markup(_macro()(q, qtype.template, language, {}, None, single))
            if len(_blank) >= MAX_KEPT:  # only after many definition versions
                _blank.clear()
            _blank[key] = html
        out[q.id] = html
    return out


def render_summary(
    definition: Definition, rows: Sequence[tuple[engine.SummaryRow, str]], language: str
) -> Markup:
    """The check-your-answers list: each row's markup (label, change link) is rendered once
    per question and language, and the citizen's answer put in it."""
    parts = ['<dl class="govuk-summary-list govuk-!-margin-bottom-9">']
    keep = fastpath.on("shells")
    for row, shown in rows:
        key = (definition.slug, definition.version, row.page.id, row.question.id, language)
        shell = _rows.get(key) if keep else None
        if shell is None:
            html = get_template("summary_row.html").render(
                {
                    "service": definition,
                    "page": row.page,
                    "question": row.question,
                    "language": language,
                    "value": Markup(_VALUE),
                }
            )
            before, found, after = html.partition(_VALUE)
            if not found:
                raise RuntimeError("summary_row.html: the value marker was escaped or lost")
            shell = (before, after)
            if keep:
                if len(_rows) >= MAX_KEPT:  # only after many definition versions
                    _rows.clear()
                _rows[key] = shell
        value = str(escape(shown or gettext("Not given"))).replace("\n", "<br>")
        parts += [shell[0], value, shell[1]]
    parts.append("</dl>")
    return Markup("".join(parts))


def warm() -> None:
    """Compile the templates and render every blank question once, in each language.

    Run by the WSGI module as each worker starts, so that no citizen pays for it.
    """
    from django.conf import settings
    from django.utils import translation

    for definition in services.definitions().values():
        for language, _ in settings.LANGUAGES:
            with translation.override(language):
                for page in definition.pages:
                    render_questions(definition, page, {}, {}, language)
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(name)
