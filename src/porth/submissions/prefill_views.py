""" "Tell us once": the consent page before a prefilled page (docs/prefill.md).

"Can we get your details from <organisation>?": what, from whom and why, in the words the
definition gives; yes or no. Nothing is fetched before yes. Yes fetches (through the
prefiller porth.exchange registers) and goes on to the page, filled in; no goes on to the
page as usual. Either way the answer is recorded against the journey (and the citizen, if
signed in). Not shown to staff completing a journey on someone's behalf.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from porth.services.service import engine
from porth.signin import service as signin
from porth.utils.http import no_store

from . import actions, prefill
from .views import (
    Mode,
    _back_url,
    _current,
    _in_mode,
    _page_url,
    _remember,
    _send_revision,
    _sign_in_first,
)

CHOICE = "consent"


@no_store
@require_http_methods(["GET", "HEAD", "POST"])
@_in_mode
def consent(request: HttpRequest, slug: str, page_id: str, *, mode: Mode) -> HttpResponse:
    if (sign_in := _sign_in_first(request, slug, mode)) is not None:
        return sign_in
    current = _current(request, slug, mode)
    definition, state, today = current.definition, current.state, current.today
    if not definition.has_page(page_id):
        raise Http404
    page = definition.page(page_id)
    prefiller = prefill.prefiller(page)
    if prefiller is None or mode is not None or prefill.answered(page, state):
        return HttpResponseRedirect(_page_url(slug, page_id), status=303)
    if not engine.reachable(definition, state, page_id, today):
        following = engine.next_page(definition, state, today)
        return HttpResponseRedirect(_page_url(slug, following), status=303)
    assert page.prefill is not None
    organisation = prefiller.provider_name(page.prefill.source.organisation)
    error = ""
    if request.method == "POST":
        choice = request.POST.get(CHOICE, "")
        if choice in {"yes", "no"}:
            if current.journey._state.adding:  # the consent is recorded against it
                actions.save_state(current.journey, state, definition=definition)
            _remember(request, current.journey, None)
            prefiller.decide(
                current.journey,
                definition,
                page,
                state,
                today,
                given=choice == "yes",
                language=get_language(),
                citizen=signin.current_citizen(request),
            )
            redirect = HttpResponseRedirect(_page_url(slug, page_id), status=303)
            return _send_revision(redirect, current.journey, None)
        error = _("Select yes if you want us to get your details from %(organisation)s") % {
            "organisation": organisation
        }
    language = get_language()
    return render(
        request,
        "prefill_consent.html",
        {
            "service": definition,
            "organisation": organisation,
            "what": page.prefill.what.get(language),
            "why": page.prefill.why.get(language),
            "error": error,
            "back_url": _back_url(current, page_id),
            "signed_in": signin.current_citizen(request) is not None,
        },
        status=400 if error else 200,
    )
