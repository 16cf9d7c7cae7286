"""Your applications in a real browser with JavaScript off, in English and Welsh: a citizen
signed in starts an application on one device, continues it on another, sends it, and sees
it with its status, the message we sent and their answers. Then axe-core on each page, with
JavaScript on."""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from porth.accounts.models import User
from porth.applications.tests.helpers import citizen, sign_in
from porth.casework import actions
from porth.casework.models import Case
from porth.signin.models import CitizenAccount

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "apply-for-a-blue-badge"
TIMEOUT_MS = 10_000


@pytest.fixture(autouse=True)
def _links_to_the_live_server(settings: Any, live_server: Any) -> None:
    settings.PORTH_BASE_URL = live_server.url


def _signed_in(page: Any, account: CitizenAccount, base_url: str) -> Any:
    """Give the browser the session cookie porth.signin would have set after sign-in."""
    client = sign_in(Client(), account)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )
    return page


@pytest.fixture
def device(browser: Any, live_server: Any) -> Iterator[Callable[[CitizenAccount], Any]]:
    """A page in a fresh browser context (another device), JavaScript off, signed in."""
    opened: list[Any] = []

    def open_device(account: CitizenAccount) -> Any:
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=False, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return _signed_in(context.new_page(), account, live_server.url)

    yield open_device
    for context in opened:
        context.close()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_citizen_continues_on_another_device_and_follows_their_application(
    device, act, words, journeys, council, language
):
    account = citizen()
    steps = journeys[SLUG]["happy_path"]
    name = act.service_name(SLUG, language)

    # On a laptop: the first two questions, then off.
    laptop = device(account)
    laptop.goto(f"/services/{SLUG}/?lang={language}")
    menu = laptop.get_by_role("navigation", name=words("Your account", language))
    expect(menu.get_by_role("link")).to_have_text(words("Your applications", language))
    act.press(laptop, "Start now", language)
    act.walk(laptop, SLUG, steps[:2], language=language, partial=True)

    # On a phone, signed in as the same citizen: "Continue" picks it up where it was left.
    phone = device(account)
    phone.goto(f"/your-applications?lang={language}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(words("Your applications", language))
    unfinished = phone.locator("#in-progress")
    expect(unfinished).to_contain_text(name)
    unfinished.get_by_role("button", name=re.compile(words("Continue", language))).click()
    act.walk(phone, SLUG, steps[2:], language=language)
    reference = act.send(phone, SLUG, language)

    # The application, listed with its status, then whole.
    phone.goto("/your-applications")
    sent = phone.locator("#sent")
    expect(sent).to_contain_text(reference)
    expect(sent.locator(".govuk-tag")).to_have_text(words("Received", language))
    expect(phone.locator("#in-progress")).to_have_count(0)
    sent.get_by_role("link", name=re.compile(reference)).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(name)
    main = phone.locator("main")
    expect(main).to_contain_text(words("Application received", language))
    expect(main).to_contain_text("Siân Jones")  # a copy of their answers
    expect(main).to_contain_text(words("Email sent %(when)s", language).split("%")[0].strip())
    # GOV.UK Frontend did not run: no JavaScript.
    expect(phone.locator("body")).not_to_have_class(re.compile(r"govuk-frontend-supported"))

    # Someone else, signed in, cannot see it.
    stranger = device(citizen())
    response = stranger.goto(f"/your-applications/{reference}")
    assert response is not None and response.status == 404


def _apply(client: Client, journeys: dict[str, Any], language: str) -> str:
    """Send the blue badge application through the journey pages, as the browser would."""
    client.get(f"/services/{SLUG}/?lang={language}")
    for step in journeys[SLUG]["happy_path"]:
        response = client.post(f"/services/{SLUG}/{step.page}", step.inputs)
        assert response.status_code == 303, response.content.decode()[:1000]
    response = client.post(f"/services/{SLUG}/check-answers", {"confirm": "yes"})
    assert response.status_code == 303
    return str(Case.objects.latest("created_at", "pk").reference)


def test_your_applications_pages_have_no_accessibility_problems(
    js_page, audit, journeys, council, live_server
):
    page = js_page
    page.goto("/your-applications")
    audit("not signed in (en)")
    page.goto("/your-applications?lang=cy")
    audit("not signed in (cy)")

    account = citizen()
    client = sign_in(Client(), account)
    reference = _apply(client, journeys, "cy")
    staff = User.objects.create_user(username="caseworker", display_name="Casey Worker")
    case = Case.objects.get(reference=reference)
    case = actions.claim(case, version=case.version, actor=staff)
    actions.request_information(
        case, "Anfonwch lun o'ch llythyr PIP.\nY dudalen gyda'r pwyntiau.",
        version=case.version, actor=staff,
    )  # fmt: skip
    client.post(f"/services/{SLUG}/where-do-you-live", {"council_area": "here"})  # unfinished

    _signed_in(page, account, live_server.url)
    page.goto("/your-applications?lang=cy")
    expect(page.locator("#sent .govuk-tag")).to_have_text("Mae angen rhagor o wybodaeth arnom")
    audit("list (cy)")
    page.goto(f"/your-applications/{reference}")
    expect(page.locator("main")).to_contain_text("Anfonwch lun o'ch llythyr PIP.")
    audit("application (cy)")
    page.goto(f"/your-applications/{reference}?lang=en")
    audit("application (en)")
    page.goto("/your-applications")
    audit("list (en)")
    page.goto(f"/services/{SLUG}/")
    audit("a service's start page, signed in (en)")
    audit.assert_clean()
