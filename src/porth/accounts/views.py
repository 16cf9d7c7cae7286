"""Staff sign-in: password, then a code from an authenticator app (enrolling one if need be).

Views only read the form and pick the page; every write is in actions.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import actions, staff_session, totp
from .access import CASE_ROLES, signed_in_staff
from .forms import CodeForm, SignInForm, error_list
from .models import Membership, Role, User

WRONG_PASSWORD = "Enter a correct user name and password"
WRONG_CODE = "Enter a correct security code"
LOCKED = (
    "Your account is locked after too many failed attempts. "
    "Try again in 30 minutes or ask your platform admin to unlock it"
)
NOTICES = {
    "signed-out": "You have signed out.",
    "idle": "You were signed out because you had not used Porth for a while. Sign in again to continue.",
    "expired": "You were signed out because you signed in a long time ago. Sign in again to continue.",
    "revoked": "You were signed out. Sign in again to continue.",
}


def safe_next(request: HttpRequest, value: str | None) -> str:
    """Where to go after signing in: only a path on this site, never another one."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _pending_or_restart(request: HttpRequest) -> tuple[User, str] | HttpResponse:
    found = staff_session.pending(request)
    return found if found is not None else redirect("sign-in")


def _locked_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    errors = [{"text": LOCKED, "href": "#username" if "form" in context else "#code"}]
    context = {**context, "errors": errors, "locked": True}
    return render(request, template, context, status=429)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if signed_in_staff(request):
        return redirect(next_url or reverse("staff-home"))
    form = SignInForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form, "next": next_url, "errors": []}
    if request.method == "GET":
        context["notice"] = NOTICES.get(request.session.pop(staff_session.NOTICE, ""))
        return render(request, "staff/accounts/sign_in.html", context)
    if not form.is_valid():
        context["errors"] = error_list(form)
        return render(request, "staff/accounts/sign_in.html", context)
    outcome = actions.check_password(
        request, form.cleaned_data["username"], form.cleaned_data["password"], next_url
    )
    if outcome is actions.Outcome.LOCKED:
        return _locked_page(request, "staff/accounts/sign_in.html", context)
    if outcome is actions.Outcome.WRONG:
        context["errors"] = [{"text": WRONG_PASSWORD, "href": "#username"}]
        context["wrong"] = True
        return render(request, "staff/accounts/sign_in.html", context)
    return redirect("sign-in-code" if outcome is actions.Outcome.NEEDS_CODE else "totp-setup")


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    found = _pending_or_restart(request)
    if isinstance(found, HttpResponse):
        return found
    user, next_url = found
    form = CodeForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"code_form": form, "errors": [], "back_url": reverse("sign-in")}
    if request.method == "POST":
        if not form.is_valid():
            context["errors"] = error_list(form)
            return render(request, "staff/accounts/sign_in_code.html", context)
        outcome = actions.check_code(request, user, form.cleaned_data["code"])
        if outcome is actions.Outcome.SIGNED_IN:
            return redirect(next_url or reverse("staff-home"))
        if outcome is actions.Outcome.NEEDS_SETUP:
            return redirect("totp-setup")
        if outcome is actions.Outcome.LOCKED:
            return _locked_page(request, "staff/accounts/sign_in_code.html", context)
        context["errors"] = [{"text": WRONG_CODE, "href": "#code"}]
    return render(request, "staff/accounts/sign_in_code.html", context)


@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    found = _pending_or_restart(request)
    if isinstance(found, HttpResponse):
        return found
    user, next_url = found
    if totp.confirmed_device(user) is not None:
        return redirect("sign-in-code")  # enrolled already: this page must not add a second
    device = totp.enrolment_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "code_form": form,
        "errors": [],
        "qr": totp.qr_data_uri(device),
        "secret": totp.secret(device),
        "back_url": reverse("sign-in"),
    }
    if request.method == "POST":
        if not form.is_valid():
            context["errors"] = error_list(form)
            return render(request, "staff/accounts/totp_setup.html", context)
        outcome = actions.confirm_enrolment(request, user, device, form.cleaned_data["code"])
        if outcome is actions.Outcome.SIGNED_IN:
            return redirect(next_url or reverse("staff-home"))
        if outcome is actions.Outcome.LOCKED:
            return _locked_page(request, "staff/accounts/totp_setup.html", context)
        context["errors"] = [{"text": WRONG_CODE, "href": "#code"}]
    return render(request, "staff/accounts/totp_setup.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and isinstance(request.user, User):
        actions.sign_out(request, actor=request.user)
    return redirect("sign-in")


def _first_url(*names: str) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where "Porth staff" in the header goes: the user's main page, if it is built yet."""
    if not signed_in_staff(request):
        return redirect(f"{reverse('sign-in')}?{urlencode({'next': request.get_full_path()})}")
    memberships = list(
        Membership.objects.filter(user_id=request.user.pk or 0)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )
    roles = {m.role for m in memberships}
    target = None
    if roles & CASE_ROLES:
        target = _first_url("queues")
    if target is None and Role.AUDITOR in roles:
        target = _first_url("audit-log")
    if target is None and Role.DATA_PUBLISHER in roles:
        target = _first_url("opendata-staff-datasets")
    if target:
        return redirect(target)
    return render(
        request, "staff/accounts/home.html", {"title": "Your roles", "memberships": memberships}
    )
