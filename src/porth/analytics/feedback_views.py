"""The citizen's answer to the satisfaction question on the confirmation page.

The question is part of the confirmation page (templates/analytics/satisfaction.html) and
posts here. The journey rated is this browser's own sent one (submissions.service.sent_online,
from the session): nothing in the form says which, so nobody can rate someone else's journey,
and a browser with nothing sent online (or in assisted mode) is sent back to the
confirmation page, which knows where it should be. Each journey answers once.

Every state is the confirmation page, reference and all: with the errors (GOV.UK error
summary), or thanks in a notification banner in place of the question.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from porth.fastpath.shells import render_page
from porth.services import service as services
from porth.submissions import service as submissions
from porth.utils.http import no_store
from porth.utils.urls import cached_reverse

from . import satisfaction


def _confirmation(slug: str) -> HttpResponse:
    return HttpResponseRedirect(cached_reverse("confirmation", slug), status=303)


@no_store  # the page shows the reference
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("comment")  # unscreened: kept out of error reports too
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    definition = services.get(slug)
    if definition is None:
        raise Http404
    sent = submissions.sent_online(request, slug)
    if sent is None:
        return _confirmation(slug)
    shared: dict[str, Any] = {"service": definition}
    slots = {"reference": sent.reference}
    if request.method != "POST":
        # The thank-you state, once answered (a bookmark, a refresh after the redirect).
        if not satisfaction.has_rated(sent.journey_id):
            return _confirmation(slug)
        return render_page(
            request, "confirmation.html", {**shared, "feedback": "thanks"}, slots=slots
        )
    rating, comment, errors = _read(request)
    if errors:
        values = {"rating": request.POST.get("rating", ""), "comment": comment}
        whole = {"feedback_errors": errors, "values": values}
        return render_page(request, "confirmation.html", shared, whole=whole, slots=slots)
    assert rating is not None
    stored = satisfaction.rate(
        slug,
        journey_id=sent.journey_id,
        rating=rating,
        comment=comment,
        channel=sent.channel,
        language=get_language(),
    )
    if not stored:
        # Answered before (another tab, the back button): the first answer stands.
        return render_page(
            request, "confirmation.html", {**shared, "feedback": "already"}, slots=slots
        )
    return HttpResponseRedirect(cached_reverse("feedback", slug), status=303)


def _read(request: HttpRequest) -> tuple[int | None, str, list[dict[str, str]]]:
    """The rating and comment posted, and the errors to show (GOV.UK error summary items,
    with the field each belongs to)."""
    errors = []
    try:
        rating: int | None = int(request.POST.get("rating", ""))
    except ValueError:
        rating = None
    if rating not in satisfaction.RATINGS:
        rating = None
        errors.append(
            {
                "field": "rating",
                "href": "#rating",
                "text": _("Select how you felt about the service you received today"),
            }
        )
    # Counted as the character count counts: a line break is one character, not two.
    comment = request.POST.get("comment", "").replace("\r\n", "\n").strip()
    if len(comment) > satisfaction.COMMENT_LIMIT:
        errors.append(
            {
                "field": "comment",
                "href": "#comment",
                "text": _("Your feedback must be %(limit)s characters or less")
                % {"limit": f"{satisfaction.COMMENT_LIMIT:,}"},
            }
        )
    return rating, comment, errors
