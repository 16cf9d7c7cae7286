"""Driving Porth like a browser without JavaScript: read a form's CSRF token, post it."""

import re
from typing import Any

import httpx

from porth.signin.models import CitizenAccount, CitizenSession

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def post_form(browser: httpx.Client, page: str, data: dict[str, str], action: str = "") -> Any:
    """Open `page`, then post `data` with its CSRF token (to `action`, or the page)."""
    html = browser.get(page).text
    token = CSRF.search(html)
    assert token, f"no form on {page}"
    return browser.post(action or page, data={"csrfmiddlewaretoken": token.group(1), **data})


def sign_in(browser: httpx.Client, next_url: str = "/services/optional-service/your-name") -> Any:
    """Follow "Sign in" from the start page through the provider and back."""
    return browser.get("/sign-in", params={"next": next_url})


def open_sessions() -> list[CitizenSession]:
    return list(CitizenSession.objects.filter(ended_at=None))


def only_account() -> CitizenAccount:
    return CitizenAccount.objects.get()
