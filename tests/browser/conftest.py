"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser per pytest process (so per xdist worker), a fresh context per test. Contexts
have JavaScript off by default: every journey must work without it. Accessibility checks
use a JavaScript-enabled context (`js_page`) so that axe-core sees the pages as most people
get them, enhanced by GOV.UK Frontend.

The journeys (pages, input names, valid answers) of the example services in /services are
here so both test modules share them; tests get them through the `journeys` fixture.
"""

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

# Playwright's sync API runs an event loop in this thread; the tests still touch the
# database (live_server's transactional_db flushes it), which Django would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(settings.PROJECT_DIR) / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
HERE = Path(__file__).resolve().parent
EXAMPLES = Path(settings.PROJECT_DIR) / "services"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000

# Reference numbers: prefix, then two groups of 4 from an alphabet without look-alikes.
REFERENCE = re.compile(r"^(BB|RP|CT)-[ACDEFGHJKMNPQRTUVWXY3467]{4}-[ACDEFGHJKMNPQRTUVWXY3467]{4}$")

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, and skip them all without Chromium."""
    skip = pytest.mark.skip(
        reason=f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(skip)


# --- Browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture(autouse=True)
def _example_services() -> None:
    """Serve the example services, whatever earlier tests in this process loaded."""
    from porth.services import registry

    if Path(settings.PORTH_SERVICES_DIR).resolve() != EXAMPLES.resolve():
        pytest.fail(f"PORTH_SERVICES_DIR is {settings.PORTH_SERVICES_DIR}, not {EXAMPLES}")
    examples = {path.stem for path in EXAMPLES.glob("*.yaml")}
    if set(registry.definitions()) != examples:
        registry.reload()


@dataclass
class PageProblems:
    """What went wrong in the browser while a test ran: uncaught exceptions, console errors
    (such as CSP refusals) and assets that failed to load. Pages that are meant to be errors
    (a 404 page) are documents, so are not counted."""

    messages: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"{page.url}: {error}"))
        page.on("console", lambda msg: self._console(page, msg))
        page.on("response", self._response)

    def _console(self, page: Any, msg: Any) -> None:
        # A failed load is reported, with its address, by _response.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.messages.append(f"{page.url}: console {msg.type}: {msg.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.messages.append(f"{response.url}: {response.status}")


def _new_page(browser: Any, live_server: Any, *, javascript: bool) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    if javascript:
        # Injected before each document's own scripts, outside the page's CSP.
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    problems = PageProblems()
    problems.watch(page)
    try:
        yield page
    finally:
        context.close()
    assert not problems.messages, "The browser reported errors:\n" + "\n".join(problems.messages)


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page in a fresh context with JavaScript disabled."""
    yield from _new_page(browser, live_server, javascript=False)


@pytest.fixture
def js_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page in a fresh context with JavaScript enabled and axe-core loaded on every page."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (run `make frontend`)")
    yield from _new_page(browser, live_server, javascript=True)


# --- Words ----------------------------------------------------------------------------------


@pytest.fixture
def words() -> Callable[[str, str], str]:
    """The interface text the pages show in a language (from the project's translations), so
    tests find buttons the way a user would without depending on the exact wording."""

    def words(text: str, language: str) -> str:
        with translation.override(language):
            return str(translation.gettext(text))

    return words


# --- Journeys ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    page: str
    inputs: dict[str, str | list[str]] = field(default_factory=dict)


def _date(prefix: str, day: date) -> dict[str, str | list[str]]:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


def _journeys(today: date) -> dict[str, dict[str, Any]]:
    # Dates that must stay inside a window moving with today are computed from it.
    noticed = today - timedelta(days=7)
    damaged = today - timedelta(days=6)
    only_adult = today - timedelta(days=2 * 365)
    holder = {
        "holder_name": "Siân Jones",
        "holder_date_of_birth-day": "27",
        "holder_date_of_birth-month": "3",
        "holder_date_of_birth-year": "1958",
    }
    return {
        "apply-for-a-blue-badge": {
            "prefix": "BB",
            "happy_path": [
                Step("where-do-you-live", {"council_area": "here"}),
                Step("who-is-applying", {"applicant": "myself"}),
                Step("qualifying-benefits", {"qualifying_reasons": ["pip-moving-around"]}),
                Step("badge-holder-details", {**holder, "holder_nino": "AB 12 34 56 C"}),
                Step(
                    "home-address",
                    {
                        "holder_address-line1": "12 Heol y Castell",
                        "holder_address-line2": "",
                        "holder_address-town": "Cardiff",
                        "holder_address-county": "",
                        "holder_address-postcode": "CF10 1EP",
                    },
                ),
                Step("photo-and-proof"),
                Step("previous-badge", {"had_badge_before": "no"}),
                Step(
                    "contact-details", {"email": "sian.jones@example.com", "phone": "07911 123456"}
                ),
            ],
            "exit_branch": [
                Step("where-do-you-live", {"council_area": "elsewhere"}),
                Step("lives-elsewhere"),
            ],
            "long_path": [
                Step("where-do-you-live", {"council_area": "here"}),
                Step("who-is-applying", {"applicant": "someone-else"}),
                Step("about-you", {"applicant_name": "Gareth Jones", "relationship": "carer"}),
                Step("qualifying-benefits", {"qualifying_reasons": ["none"]}),
                Step(
                    "walking-difficulty",
                    {
                        "walking_distance": "under-50-metres",
                        "condition_description": "Severe arthritis in both knees. Uses a walking frame outdoors.",
                    },
                ),
                Step("badge-holder-details", {**holder, "holder_nino": ""}),
                Step(
                    "home-address",
                    {
                        "holder_address-line1": "12 Heol y Castell",
                        "holder_address-line2": "Treganna",
                        "holder_address-town": "Cardiff",
                        "holder_address-county": "",
                        "holder_address-postcode": "CF11 9AB",
                    },
                ),
                Step("photo-and-proof"),
                Step("previous-badge", {"had_badge_before": "yes"}),
                Step("previous-badge-number", {"previous_badge_number": "AB12 CD34"}),
                Step("contact-details", {"email": "gareth@example.com", "phone": ""}),
            ],
            "second_exit_branch": [
                Step("where-do-you-live", {"council_area": "here"}),
                Step("who-is-applying", {"applicant": "myself"}),
                Step("qualifying-benefits", {"qualifying_reasons": ["none"]}),
                Step(
                    "walking-difficulty",
                    {
                        "walking_distance": "over-100-metres",
                        "condition_description": "Asthma that gets worse in cold weather.",
                    },
                ),
                Step("walking-not-eligible"),
            ],
        },
        "report-a-road-problem": {
            "prefix": "RP",
            "happy_path": [
                Step("is-it-dangerous", {"immediate_danger": "no"}),
                Step("problem-type", {"problem_type": "pothole"}),
                Step("pothole-size", {"pothole_depth": "4.5", "pothole_width": "30"}),
                Step(
                    "where-is-the-problem",
                    {
                        "street_name": "High Street",
                        "problem_postcode": "CF10 1EP",
                        "location_details": "Outside number 12, by the bus stop",
                    },
                ),
                Step(
                    "about-the-problem",
                    {
                        "description": "A deep pothole in the middle of the lane. Cars swerve round it.",
                        **_date("noticed_date", noticed),
                    },
                ),
                Step("vehicle-damage", {"claiming_damage": "no"}),
                Step(
                    "your-details",
                    {
                        "reporter_name": "Alex Smith",
                        "reporter_email": "alex.smith@example.com",
                        "reporter_phone": "",
                    },
                ),
            ],
            "exit_branch": [
                Step("is-it-dangerous", {"immediate_danger": "yes"}),
                Step("call-us-now"),
            ],
            "long_path": [
                Step("is-it-dangerous", {"immediate_danger": "no"}),
                Step("problem-type", {"problem_type": "pavement"}),
                Step(
                    "where-is-the-problem",
                    {
                        "street_name": "Heol y Frenhines",
                        "problem_postcode": "NP20 1AA",
                        "location_details": "",
                    },
                ),
                Step(
                    "about-the-problem",
                    {
                        "description": "Paving slabs are lifted and someone could trip.",
                        **_date("noticed_date", noticed),
                    },
                ),
                Step("vehicle-damage", {"claiming_damage": "yes"}),
                Step(
                    "damage-claim",
                    {
                        **_date("damage_date", damaged),
                        "vehicle_registration": "CU57 ABC",
                        "repair_cost": "185.50",
                    },
                ),
                Step("how-claims-work"),
                Step(
                    "your-details",
                    {
                        "reporter_name": "",
                        "reporter_email": "driver@example.com",
                        "reporter_phone": "020 7946 0018",
                    },
                ),
            ],
        },
        "council-tax-single-person-discount": {
            "prefix": "CT",
            "happy_path": [
                Step("how-many-adults", {"adults_count": "1"}),
                Step("account-number", {"account_number": "50012345"}),
                Step(
                    "property-address",
                    {
                        "property_address-line1": "4 Ffordd yr Eglwys",
                        "property_address-line2": "",
                        "property_address-town": "Newport",
                        "property_address-county": "",
                        "property_address-postcode": "NP20 1AA",
                    },
                ),
                Step(
                    "your-details",
                    {
                        "full_name": "Rhian Evans",
                        **_date("date_of_birth", date(1985, 6, 15)),
                        "nino": "JH123456A",
                    },
                ),
                Step("moved-in", _date("move_in_date", date(2019, 9, 1))),
                Step("always-only-adult", {"always_only_adult": "yes"}),
                Step("how-we-check"),
                Step(
                    "contact-details",
                    {"email": "rhian.evans@example.com", "phone": "020 7946 0018"},
                ),
            ],
            "exit_branch": [
                Step("how-many-adults", {"adults_count": "2"}),
                Step("other-adults", {"other_adults": ["none"]}),
                Step("not-eligible"),
            ],
            "long_path": [
                Step("how-many-adults", {"adults_count": "2"}),
                Step("other-adults", {"other_adults": ["full-time-student"]}),
                Step("account-number", {"account_number": "50012345"}),
                Step(
                    "property-address",
                    {
                        "property_address-line1": "4 Ffordd yr Eglwys",
                        "property_address-line2": "",
                        "property_address-town": "Newport",
                        "property_address-county": "Gwent",
                        "property_address-postcode": "NP20 1AA",
                    },
                ),
                Step(
                    "your-details",
                    {
                        "full_name": "Rhian Evans",
                        **_date("date_of_birth", date(1985, 6, 15)),
                        "nino": "",
                    },
                ),
                Step("moved-in", _date("move_in_date", date(2019, 9, 1))),
                Step("always-only-adult", {"always_only_adult": "no"}),
                Step("date-only-adult", _date("only_adult_date", only_adult)),
                Step("how-we-check"),
                Step("contact-details", {"email": "rhian.evans@example.com", "phone": ""}),
            ],
        },
    }


@pytest.fixture
def journeys() -> dict[str, dict[str, Any]]:
    """Each example service's journeys (`happy_path`, `long_path`, `exit_branch`...), with
    dates relative to today so they stay valid."""
    return _journeys(date.today())


# --- Acting like a user -------------------------------------------------------------------------


def page_path(slug: str, page_id: str) -> re.Pattern[str]:
    """The URL of a journey page, with or without a query or fragment."""
    return re.compile(rf"/services/{re.escape(slug)}/{re.escape(page_id)}(?:[?#].*)?$")


def fill_page(page: Any, inputs: dict[str, str | list[str]]) -> None:
    """Answer a question page as a user would: choose options, type into boxes."""
    for name, value in inputs.items():
        chosen = value if isinstance(value, list) else [value]
        options = page.locator(f'input[name="{name}"]:is([type="radio"], [type="checkbox"])')
        if options.count():
            for option in chosen:
                options.and_(page.locator(f'[value="{option}"]')).check()
            continue
        select = page.locator(f'select[name="{name}"]')
        if select.count():
            select.select_option(value)
            continue
        page.locator(f'[name="{name}"]').fill(str(value))


class Helpers:
    """What tests need to walk journeys; given to them by the `act` fixture."""

    REFERENCE = REFERENCE
    page_path = staticmethod(page_path)
    fill_page = staticmethod(fill_page)

    def __init__(self, words: Callable[[str, str], str]) -> None:
        self.words = words

    @staticmethod
    def service_name(slug: str, language: str = "en") -> str:
        from porth.services import registry

        definition = registry.get(slug)
        assert definition is not None, slug
        return str(definition.name.get(language))

    def press(self, page: Any, text: str, language: str = "en") -> None:
        page.get_by_role("button", name=self.words(text, language), exact=True).click()

    def walk(
        self,
        page: Any,
        slug: str,
        steps: list[Step],
        *,
        language: str = "en",
        on_page: Callable[[Step], None] | None = None,
        partial: bool = False,
    ) -> None:
        """From the first page of `steps`, answer each page and press Continue, checking the
        service takes the route the steps expect. Exit pages end the walk; otherwise it ends
        on check your answers (unless `partial`: the steps are only the start of a journey)."""
        for step in steps:
            page.wait_for_url(page_path(slug, step.page))
            if on_page is not None:
                on_page(step)
            if not page.get_by_role("button", name=self.words("Continue", language)).count():
                return  # an exit page
            fill_page(page, step.inputs)
            self.press(page, "Continue", language)
        if not partial:
            page.wait_for_url(re.compile(rf"/services/{re.escape(slug)}/check-answers$"))

    def send(self, page: Any, slug: str, language: str = "en") -> str:
        """On check your answers: tick the declaration, send, return the reference shown."""
        confirm = page.locator('input[name="confirm"][value="yes"]')
        if confirm.count():
            confirm.check()
        self.press(page, "Accept and send", language)
        page.wait_for_url(re.compile(rf"/services/{re.escape(slug)}/confirmation(#.*)?$"))
        return page.locator("strong.porth-reference").inner_text().strip()


@pytest.fixture
def act(words: Callable[[str, str], str]) -> Helpers:
    return Helpers(words)


# --- axe-core ---------------------------------------------------------------------------------


def _known(violation: dict[str, Any], node: dict[str, Any]) -> bool:
    """GOV.UK Frontend's known issue, kept on purpose: a radio that reveals a question sets
    aria-expanded, which ARIA does not allow on radios, as screen readers announce it and
    users were helped by it (alphagov/govuk-frontend#979). Nothing else is let through."""
    summary = (node["summary"] or "").strip().splitlines()
    return (
        violation["id"] == "aria-allowed-attr"
        and 'class="govuk-radios__input"' in node["html"]
        and 'aria-controls="conditional-' in node["html"]
        and len(summary) > 1
        and all("aria-expanded" in line for line in summary[1:])
    )


class Audit:
    """Runs axe-core on each page a test visits and keeps the violations to report at the end."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.checked: list[str] = []
        self.violations: list[str] = []

    def __call__(self, label: str) -> None:
        page = self.page
        page.wait_for_function("() => window.axe !== undefined")
        result = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({html: n.html, summary: n.failureSummary,
                                              target: n.target})),
                }));
            }""",
            AXE_TAGS,
        )
        self.checked.append(f"{label} ({page.url})")
        for violation in result:
            violation["nodes"] = [n for n in violation["nodes"] if not _known(violation, n)]
            if not violation["nodes"]:
                continue
            lines = [
                f"[{label}] {page.url}",
                f"  {violation['id']} ({violation['impact']}): {violation['help']}",
                f"  {violation['helpUrl']}",
            ]
            for node in violation["nodes"]:
                lines.append(f"    {json.dumps(node['target'])}: {node['html']}")
                for line in (node["summary"] or "").splitlines():
                    lines.append(f"      {line}")
            self.violations.append("\n".join(lines))

    def assert_clean(self) -> None:
        assert self.checked, "no page was audited"
        assert not self.violations, (
            f"axe-core found {len(self.violations)} violation(s) on {len(self.checked)} pages:\n\n"
            + "\n\n".join(self.violations)
        )


@pytest.fixture
def audit(js_page: Any) -> Audit:
    return Audit(js_page)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The live server checks real passwords; a slow hasher would only slow the tests down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def council() -> Any:
    """The organisation that owns the example services."""
    from porth.accounts import demo
    from porth.accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(slug=demo.HOME, name="Example Council")
