"""The "Your applications" link in the header of every citizen page, for a signed-in citizen.

It costs an anonymous citizen nothing: no session cookie, no session read; and a signed-in
one no query (the session says they signed in; the page itself checks the account). Pages
drawn from shared shells (porth.fastpath.shells) get it through a page slot, the others
through a context processor (settings.TEMPLATES): both call `links`.
"""

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from markupsafe import Markup

from porth.signin.service import SESSION_KEY
from porth.utils.urls import cached_reverse

URL_NAME = "your-applications"


def signed_in(request: HttpRequest) -> bool:
    """Whether the session says a citizen signed in (not checked against the database)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session at all: not even read
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


def menu(request: HttpRequest) -> Markup:
    """The service navigation's menu: a list with the one link, or "" if nobody signed in."""
    if request.path.startswith("/staff/") or not signed_in(request):
        return Markup("")
    try:
        href = cached_reverse(URL_NAME)
    except NoReverseMatch:  # pages without the app's URLs (a test's own URLconf)
        return Markup("")
    current = request.path.startswith(href)
    return Markup(
        '<nav aria-label="{label}" class="govuk-service-navigation__wrapper">'
        '<ul class="govuk-service-navigation__list">'
        '<li class="govuk-service-navigation__item{active}">'
        '<a class="govuk-service-navigation__link" href="{href}"{aria}>{text}</a>'
        "</li></ul></nav>"
    ).format(
        label=_("Your account"),
        active=" govuk-service-navigation__item--active" if current else "",
        href=href,
        aria=Markup(' aria-current="page"') if current else "",
        text=_("Your applications"),
    )


def bar(request: HttpRequest) -> Markup:
    """The menu in a service navigation of its own, for pages that name no service."""
    inner = menu(request)
    if not inner:
        return inner
    return Markup(
        '<section aria-label="{label}" class="govuk-service-navigation">'
        '<div class="govuk-width-container"><div class="govuk-service-navigation__container">'
        "{inner}</div></div></section>"
    ).format(label=_("Service information"), inner=inner)


def links(request: HttpRequest) -> dict[str, Markup]:
    """The context processor (and the shells' page slots): `citizen_nav` goes in a service's
    navigation, `citizen_bar` where there is none."""
    inner = menu(request)
    return {"citizen_nav": inner, "citizen_bar": bar(request) if inner else inner}
