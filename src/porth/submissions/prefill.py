""" "Tell us once": the hook a journey uses to prefill a page from another organisation.

A definition's page can name an exchange service (`prefill:` in the definition). The journey
pages live here, below porth.exchange in the layers, so they cannot call it: porth.exchange
registers a `Prefiller` here in its AppConfig.ready(). Without one (exchange not installed),
prefilled pages are ordinary pages: the citizen types the answers.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from porth.services.service import Definition, Page, engine, questions

from .models import Journey


@dataclass(frozen=True)
class Prefilled:
    """What a consented page got: `values` (field id → answer as the engine holds it; empty
    when the call failed) from `provider_name`."""

    provider_name: str
    values: dict[str, Any] = field(default_factory=dict)
    failed: bool = False


class Prefiller(Protocol):
    def provider_name(self, organisation: str) -> str:
        """The providing organisation's name, for the citizen ("Benefits Agency")."""
        ...

    def decision(self, journey: Journey, page: Page) -> bool | None:
        """The citizen's answer to "may we get your details?" for this journey's page: True,
        False, or None if not asked yet (or the consent was withdrawn: ask again)."""
        ...

    def decide(
        self,
        journey: Journey,
        definition: Definition,
        page: Page,
        state: engine.State,
        today: date,
        *,
        given: bool,
        language: str,
        citizen: Any,
    ) -> None:
        """Record the citizen's answer (audited) and, if given, fetch the page's answers.
        Never raises for a partner's fault: a failed call is kept as such."""
        ...

    def prefilled(self, journey: Journey, page: Page) -> Prefilled | None:
        """What the page got, if the citizen agreed; None otherwise."""
        ...


_prefiller: Prefiller | None = None


def register(prefiller: Prefiller | None) -> None:
    """Called by porth.exchange's AppConfig.ready() (None: unregister, for tests)."""
    global _prefiller
    _prefiller = prefiller


def prefiller(page: Page) -> Prefiller | None:
    """The registered prefiller, if this page is prefilled and one is registered."""
    return _prefiller if page.prefill is not None else None


# --- What the journey pages do with it -----------------------------------------------------


def answered(page: Page, state: engine.State) -> bool:
    """Answered already (or skipped through): consent is not asked again, and what the
    citizen said is shown rather than anything fetched."""
    return page.id in state.done or any(q.id in state.answers for q in page.fields)


def needs_consent(journey: Journey, page: Page, state: engine.State) -> bool:
    found = prefiller(page)
    return found is not None and not answered(page, state) and found.decision(journey, page) is None


def fetched(journey: Journey, page: Page, state: engine.State) -> Prefilled | None:
    found = prefiller(page)
    if found is None or answered(page, state):
        return None
    return found.prefilled(journey, page)


def form_values(page: Page, prefilled: Prefilled) -> dict[str, Any]:
    """The fetched answers as the page's form shows them. One that does not fit its question
    (a reply of another type) is left for the citizen to answer."""
    out: dict[str, Any] = {}
    for question in page.fields:
        if question.id in prefilled.values:
            try:
                out.update(
                    questions.get(question.type).to_form(question, prefilled.values[question.id])
                )
            except Exception:
                continue
    return out


def notice(prefilled: Prefilled | None) -> Markup:
    """The inset above the page's questions: where its answers came from, or that they
    could not be got."""
    if prefilled is None:
        return Markup("")
    if prefilled.failed:
        text = _("We could not get your details from %(organisation)s. Enter them below.")
    else:
        text = _(
            "We got these answers from %(organisation)s. "
            "Check them and change anything that is wrong."
        )
    words = escape(text % {"organisation": prefilled.provider_name})
    return Markup('<div class="govuk-inset-text" id="prefill-notice">{}</div>').format(words)
