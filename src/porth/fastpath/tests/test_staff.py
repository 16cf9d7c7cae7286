"""Staff middleware runs for staff requests only; citizens get an anonymous user without it."""

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from porth.fastpath.staff import StaffMiddleware

seen: list[str] = []


class Recorder:
    """Stands in for the staff middleware: notes each request it sees."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen.append(request.path)
        return self.get_response(request)


def _through(path: str, *, signed_in: bool = False) -> HttpRequest:
    request = RequestFactory().get(path)
    request.session = SessionStore()
    if signed_in:
        request.session[SESSION_KEY] = "1"
    StaffMiddleware(lambda r: HttpResponse())(request)
    return request


@override_settings(PORTH_STAFF_MIDDLEWARE=[f"{__name__}.Recorder"])
def test_only_staff_pages_and_signed_in_sessions_go_through_the_staff_middleware() -> None:
    seen.clear()
    citizen = _through("/services/apply-for-a-blue-badge/who-is-applying")
    assert not citizen.user.is_authenticated
    _through("/staff/cases")
    _through("/services/apply-for-a-blue-badge/who-is-applying", signed_in=True)  # assisted
    assert seen == ["/staff/cases", "/services/apply-for-a-blue-badge/who-is-applying"]


def test_the_staff_chain_gives_staff_pages_a_user() -> None:
    request = _through("/staff/cases")
    assert not request.user.is_authenticated  # nobody signed in, but AuthenticationMiddleware ran
    assert hasattr(request, "auser")
