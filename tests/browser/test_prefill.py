""" "Tell us once" in a real browser, JavaScript off, in English and Welsh: the consent page
(what, from whom, why; an error if neither answer is chosen), the page prefilled from the
demo's Example Pensions Agency over HTTP and changed by the citizen, a partner that cannot
answer, the consents on Your applications with "Withdraw consent", and "Who has asked for
information about you". Then axe-core on each of those pages, with JavaScript on."""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from porth.accounts.service import ensure_demo
from porth.applications.tests.helpers import citizen, sign_in
from porth.exchange import partners, transport
from porth.exchange.demo import AGENCY, ensure_exchange_demo
from porth.exchange.models import Partner
from porth.signin.models import CitizenAccount

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "apply-for-council-tax-reduction"
GETS_IT = "AB 12 34 56 A"  # the demo agency says: gets Pension Credit


@pytest.fixture(autouse=True)
def _two_organisations(settings: Any, live_server: Any) -> Iterator[None]:
    settings.PORTH_BASE_URL = live_server.url
    partners.forget()
    ensure_demo()
    ensure_exchange_demo(live_server.url)
    yield
    partners.forget()
    transport.http().close()
    transport.http.cache_clear()


def _signed_in(page: Any, account: CitizenAccount, base_url: str) -> Any:
    client = sign_in(Client(), account)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )
    return page


def _agency(language: str) -> str:
    return AGENCY[2] if language == "cy" else AGENCY[1]


def _to_consent(page: Any, act: Any, language: str) -> None:
    page.goto(f"/services/{SLUG}/your-name?lang={language}")
    page.locator('input[name="full_name"]').fill("Siân Jones")
    act.press(page, "Continue", language)
    page.locator('input[name="nino"]').fill(GETS_IT)
    act.press(page, "Continue", language)
    page.wait_for_url(re.compile(rf"/services/{SLUG}/pension-credit/consent$"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_consent_then_prefilled_answers_the_citizen_can_change(
    page: Any, act: Any, words: Callable[[str, str], str], council: Any, language: str
) -> None:
    agency = _agency(language)
    _to_consent(page, act, language)
    heading = words("Can we get your details from %(organisation)s?", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading % {"organisation": agency})
    main = page.locator("main")
    expect(main).to_contain_text("Credyd Pensiwn" if language == "cy" else "Pension Credit")
    # Neither chosen: the error summary, and the page again.
    act.press(page, "Continue", language)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        words("Select yes if you want us to get your details from %(organisation)s", language)
        % {"organisation": agency}
    )
    yes = words("Yes, get my details from %(organisation)s", language) % {"organisation": agency}
    page.get_by_label(yes).check()
    act.press(page, "Continue", language)
    page.wait_for_url(re.compile(rf"/services/{SLUG}/pension-credit$"))
    notice = words(
        "We got these answers from %(organisation)s. Check them and change anything that is wrong.",
        language,
    )
    expect(page.locator("#prefill-notice")).to_have_text(notice % {"organisation": agency})
    expect(page.locator('input[name="gets_pension_credit"][value="yes"]')).to_be_checked()
    # The citizen changes it.
    page.locator('input[name="gets_pension_credit"][value="no"]').check()
    act.press(page, "Continue", language)
    page.locator('input[name="email"]').fill("sian@example.com")
    act.press(page, "Continue", language)
    page.wait_for_url(re.compile(rf"/services/{SLUG}/check-answers$"))
    reference = act.send(page, SLUG, language)
    assert reference.startswith("CTR-")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_partner_that_cannot_answer_leaves_the_page_usable(
    page: Any, act: Any, words: Callable[[str, str], str], council: Any, language: str
) -> None:
    Partner.objects.filter(slug=AGENCY[0]).update(base_url="http://127.0.0.1:9")
    partners.forget()
    _to_consent(page, act, language)
    agency = _agency(language)
    yes = words("Yes, get my details from %(organisation)s", language) % {"organisation": agency}
    page.get_by_label(yes).check()
    act.press(page, "Continue", language)
    failed = words(
        "We could not get your details from %(organisation)s. Enter them below.", language
    )
    expect(page.locator("#prefill-notice")).to_have_text(failed % {"organisation": agency})
    page.locator('input[name="gets_pension_credit"][value="yes"]').check()
    act.press(page, "Continue", language)
    page.wait_for_url(re.compile(rf"/services/{SLUG}/contact-details$"))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_consents_can_be_withdrawn_and_the_tracker_lists_the_call(
    page: Any,
    act: Any,
    words: Callable[[str, str], str],
    council: Any,
    live_server: Any,
    language: str,
) -> None:
    account = citizen()
    _signed_in(page, account, live_server.url)
    _to_consent(page, act, language)
    agency = _agency(language)
    page.get_by_label(
        words("Yes, get my details from %(organisation)s", language) % {"organisation": agency}
    ).check()
    act.press(page, "Continue", language)
    page.goto(f"/your-applications?lang={language}")
    section = page.locator("main")
    expect(section).to_contain_text(words("Information we got from other organisations", language))
    expect(section).to_contain_text(agency)
    page.get_by_role("link", name=re.compile(words("Withdraw consent", language))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Are you sure you want to withdraw your consent?", language)
    )
    act.press(page, "Withdraw consent", language)
    expect(page.locator("main")).to_contain_text(
        words("Withdrawn on %(day)s", language).split("%")[0].strip()
    )
    page.get_by_role(
        "link", name=words("See who has asked for information about you", language)
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Who has asked for information about you", language)
    )
    table = page.locator("#calls")
    expect(table).to_contain_text(agency)
    expect(table).to_contain_text("Cyngor Enghraifft" if language == "cy" else "Example Council")
    expect(table).to_contain_text(act.service_name(SLUG, language))
    expect(table).to_contain_text(words("Answered", language))


def test_prefill_pages_have_no_accessibility_problems(
    js_page: Any, audit: Any, act: Any, council: Any, live_server: Any
) -> None:
    page = js_page
    account = citizen()
    _signed_in(page, account, live_server.url)
    for language in ("en", "cy"):
        _to_consent(page, act, language)
        audit(f"consent ({language})")
        act.press(page, "Continue", language)
        audit(f"consent with an error ({language})")
        page.locator('input[name="consent"][value="yes"]').check()
        act.press(page, "Continue", language)
        page.wait_for_url(re.compile(rf"/services/{SLUG}/pension-credit$"))
        audit(f"prefilled page ({language})")
        page.goto(f"/your-applications?lang={language}")
        audit(f"your applications with consents ({language})")
        page.locator('a[href*="/withdraw"]').first.click()
        audit(f"withdraw consent ({language})")
        page.goto(f"/your-applications/who-used-your-data?lang={language}")
        audit(f"who has asked about you ({language})")
        # A fresh journey for the next language.
        page.context.clear_cookies()
        _signed_in(page, account, live_server.url)
    audit.assert_clean()
