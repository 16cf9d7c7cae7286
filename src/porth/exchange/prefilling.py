""" "Tell us once": porth.exchange's side of a prefilled page (docs/prefill.md).

Registered in porth.submissions.prefill by this app's AppConfig.ready(): the journey pages
ask it whether the citizen has agreed, record their answer, and show what was fetched. A
partner's fault (refused, down, slow) never reaches the citizen as an error: the page says
we could not get their details, and they type them.
"""

import hashlib
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from markupsafe import Markup

from porth.accounts.models import Organisation
from porth.accounts.service import organisation_id
from porth.services import service as services
from porth.services.service import Definition, Page, engine
from porth.submissions.models import Journey
from porth.submissions.service import Prefilled

from . import actions
from .client import ExchangeError, Refused, call
from .models import Consent, Outcome, Partner, PrefilledAnswer


def journey_reference(journey: Journey) -> str:
    """What a prefill call names as its reference: the application has no reference until
    it is sent, and the journey's id is the key to it, so never sent. Consent rows tie
    the call to the application once sent."""
    return "J-" + hashlib.sha256(journey.pk.encode()).hexdigest()[:12].upper()


def organisation_names(slugs: set[str]) -> dict[str, str]:
    """Organisations' names in the page's language: an organisation of this Porth by its
    own (Welsh) name, a partner on another Porth by the name it was registered with."""
    welsh = get_language() == "cy"
    names = dict(Partner.objects.filter(slug__in=slugs).values_list("slug", "name"))
    for slug, name, name_cy in Organisation.objects.filter(slug__in=slugs).values_list(
        "slug", "name", "name_cy"
    ):
        names[slug] = name_cy if welsh and name_cy else name
    return {slug: str(names.get(slug, slug)) for slug in slugs}


def provider_name(organisation: str) -> str:
    return organisation_names({organisation})[organisation]


def _consents(journey: Journey, page: Page) -> QuerySet[Consent]:
    assert page.prefill is not None
    return Consent.objects.filter(
        journey=journey,
        page=page.id,
        provider=page.prefill.source.organisation,
        exchange_service=page.prefill.source.service,
    ).order_by("-decided_at", "-id")


def _latest(journey: Journey, page: Page) -> Consent | None:
    if journey._state.adding:
        return None
    latest = _consents(journey, page).first()
    return latest if latest is not None and latest.withdrawn_at is None else None


class ExchangePrefiller:
    def provider_name(self, organisation: str) -> str:
        return provider_name(organisation)

    def decision(self, journey: Journey, page: Page) -> bool | None:
        latest = _latest(journey, page)
        return None if latest is None else latest.given

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
        prefill = page.prefill
        assert prefill is not None
        owner = definition.organisation
        caller = Organisation.objects.get(
            pk=organisation_id(owner.id, owner.name.en, owner.name.cy or "")
        )
        citizen = citizen or journey.citizen
        consent = actions.record_consent(
            journey=journey,
            citizen=citizen,
            caller=caller,
            service=definition.slug,
            page=page.id,
            provider=prefill.source.organisation,
            exchange_service=prefill.source.service,
            purpose=prefill.purpose,
            what=prefill.what.get(language),
            why=prefill.why.get(language),
            language=language,
            given=given,
        )
        if not given:
            return
        # Outside any transaction: a slow partner holds no locks.
        try:
            reply = call(
                caller=caller,
                provider=prefill.source.organisation,
                service=prefill.source.service,
                purpose=prefill.purpose,
                reference=journey_reference(journey),
                query=engine.prefill.query(definition, page, state, today),
                citizen=citizen,
            )
        except ExchangeError as error:
            outcome = Outcome.REFUSED if isinstance(error, Refused) else Outcome.UNAVAILABLE
            actions.keep_fetched(consent, message_id=error.message_id, outcome=outcome, values={})
            return
        values = engine.prefill.answers(definition, page, reply.data)
        actions.keep_fetched(
            consent, message_id=reply.message_id, outcome=Outcome.ANSWERED, values=values
        )

    def prefilled(self, journey: Journey, page: Page) -> Prefilled | None:
        latest = _latest(journey, page)
        if latest is None or not latest.given:
            return None
        name = provider_name(latest.provider)
        values = {
            answer.field: actions.read_fetched(answer)
            for answer in latest.answers.filter(submission=None)
        }
        values = {field: value for field, value in values.items() if value is not None}
        return Prefilled(name, values, failed=latest.outcome != Outcome.ANSWERED or not values)


def on_submitted(sender: Any, *, submission: Any, answers: dict[str, Any], **kwargs: Any) -> None:
    """porth.submissions' `submitted` signal (inside its transaction)."""
    actions.attach_to_submission(submission, answers)


def case_part(case: Any) -> Markup | None:
    """ "Answers from other organisations" on the case's page (staff: English)."""
    fetched = list(PrefilledAnswer.objects.filter(submission_id=case.submission_id).order_by("id"))
    if not fetched:
        return None
    definition = services.get(case.service)
    known = definition.questions if definition is not None else {}
    names = organisation_names({answer.provider for answer in fetched})
    rows = Markup("").join(
        Markup(
            '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
            '<dd class="govuk-summary-list__value">From {} ({}), message <code>{}</code>. {}'
            "</dd></div>"
        ).format(
            (known[answer.field][1].summary_label or known[answer.field][1].label).en
            if answer.field in known
            else answer.field,
            names[answer.provider],
            answer.exchange_service,
            answer.message_id,
            "Changed by the applicant." if answer.changed else "Not changed by the applicant.",
        )
        for answer in fetched
    )
    return Markup(
        '<h2 class="govuk-heading-m" id="prefilled">Answers from other organisations</h2>'
        '<dl class="govuk-summary-list govuk-!-margin-bottom-9">{}</dl>'
    ).format(rows)
