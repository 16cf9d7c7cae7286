"""The citizen journeys every benchmark walks: the happy and long paths of the three example
services, with their forms encoded once, and `walk`, which checks every answer on the way."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

from .loadgen import BenchError, Response


class Requester(Protocol):
    """What walks a journey: the HTTP client (bench.loadgen) or the in-process one."""

    def request(
        self, method: str, path: str, body: str | None = None, kind: str | None = None
    ) -> Response: ...


Step = tuple[str, dict[str, Any]]  # page id, form inputs


def _date(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


def journeys(today: date) -> list[tuple[str, list[Step]]]:
    """The happy and long paths of the three example services (services/*.yaml)."""
    noticed = today - timedelta(days=7)
    damaged = today - timedelta(days=6)
    only_adult = today - timedelta(days=2 * 365)
    blue_badge = "apply-for-a-blue-badge"
    road = "report-a-road-problem"
    council_tax = "council-tax-single-person-discount"
    holder = {"holder_name": "Siân Jones", **_date("holder_date_of_birth", date(1958, 3, 27))}
    return [
        (
            blue_badge,
            [
                ("where-do-you-live", {"council_area": "here"}),
                ("who-is-applying", {"applicant": "myself"}),
                ("qualifying-benefits", {"qualifying_reasons": ["pip-moving-around"]}),
                ("badge-holder-details", {**holder, "holder_nino": "AB 12 34 56 C"}),
                (
                    "home-address",
                    _address("holder_address", "12 Heol y Castell", "", "Cardiff", "CF10 1EP"),
                ),
                ("photo-and-proof", {}),
                ("previous-badge", {"had_badge_before": "no"}),
                ("contact-details", {"email": "sian.jones@example.com", "phone": "07911 123456"}),
            ],
        ),
        (
            road,
            [
                ("is-it-dangerous", {"immediate_danger": "no"}),
                ("problem-type", {"problem_type": "pothole"}),
                ("pothole-size", {"pothole_depth": "4.5", "pothole_width": "30"}),
                (
                    "where-is-the-problem",
                    {
                        "street_name": "High Street",
                        "problem_postcode": "CF10 1EP",
                        "location_details": "Outside number 12, by the bus stop",
                    },
                ),
                (
                    "about-the-problem",
                    {
                        "description": "A deep pothole in the middle of the lane. Cars swerve round it.",
                        **_date("noticed_date", noticed),
                    },
                ),
                ("vehicle-damage", {"claiming_damage": "no"}),
                (
                    "your-details",
                    {
                        "reporter_name": "Alex Smith",
                        "reporter_email": "alex.smith@example.com",
                        "reporter_phone": "",
                    },
                ),
            ],
        ),
        (
            council_tax,
            [
                ("how-many-adults", {"adults_count": "1"}),
                ("account-number", {"account_number": "50012345"}),
                (
                    "property-address",
                    _address("property_address", "4 Ffordd yr Eglwys", "", "Newport", "NP20 1AA"),
                ),
                (
                    "your-details",
                    {
                        "full_name": "Rhian Evans",
                        **_date("date_of_birth", date(1985, 6, 15)),
                        "nino": "JH123456A",
                    },
                ),
                ("moved-in", _date("move_in_date", date(2019, 9, 1))),
                ("always-only-adult", {"always_only_adult": "yes"}),
                ("how-we-check", {}),
                ("contact-details", {"email": "rhian.evans@example.com", "phone": "020 7946 0018"}),
            ],
        ),
        (
            blue_badge,
            [
                ("where-do-you-live", {"council_area": "here"}),
                ("who-is-applying", {"applicant": "someone-else"}),
                ("about-you", {"applicant_name": "Gareth Jones", "relationship": "carer"}),
                ("qualifying-benefits", {"qualifying_reasons": ["none"]}),
                (
                    "walking-difficulty",
                    {
                        "walking_distance": "under-50-metres",
                        "condition_description": "Severe arthritis in both knees. Uses a walking frame outdoors.",
                    },
                ),
                ("badge-holder-details", {**holder, "holder_nino": ""}),
                (
                    "home-address",
                    _address(
                        "holder_address", "12 Heol y Castell", "Treganna", "Cardiff", "CF11 9AB"
                    ),
                ),
                ("photo-and-proof", {}),
                ("previous-badge", {"had_badge_before": "yes"}),
                ("previous-badge-number", {"previous_badge_number": "AB12 CD34"}),
                ("contact-details", {"email": "gareth@example.com", "phone": ""}),
            ],
        ),
        (
            road,
            [
                ("is-it-dangerous", {"immediate_danger": "no"}),
                ("problem-type", {"problem_type": "pavement"}),
                (
                    "where-is-the-problem",
                    {
                        "street_name": "Heol y Frenhines",
                        "problem_postcode": "NP20 1AA",
                        "location_details": "",
                    },
                ),
                (
                    "about-the-problem",
                    {
                        "description": "Paving slabs are lifted and someone could trip.",
                        **_date("noticed_date", noticed),
                    },
                ),
                ("vehicle-damage", {"claiming_damage": "yes"}),
                (
                    "damage-claim",
                    {
                        **_date("damage_date", damaged),
                        "vehicle_registration": "CU57 ABC",
                        "repair_cost": "185.50",
                    },
                ),
                ("how-claims-work", {}),
                (
                    "your-details",
                    {
                        "reporter_name": "",
                        "reporter_email": "driver@example.com",
                        "reporter_phone": "020 7946 0018",
                    },
                ),
            ],
        ),
        (
            council_tax,
            [
                ("how-many-adults", {"adults_count": "2"}),
                ("other-adults", {"other_adults": ["full-time-student"]}),
                ("account-number", {"account_number": "50012345"}),
                (
                    "property-address",
                    _address(
                        "property_address", "4 Ffordd yr Eglwys", "", "Newport", "NP20 1AA", "Gwent"
                    ),
                ),
                (
                    "your-details",
                    {
                        "full_name": "Rhian Evans",
                        **_date("date_of_birth", date(1985, 6, 15)),
                        "nino": "",
                    },
                ),
                ("moved-in", _date("move_in_date", date(2019, 9, 1))),
                ("always-only-adult", {"always_only_adult": "no"}),
                ("date-only-adult", _date("only_adult_date", only_adult)),
                ("how-we-check", {}),
                ("contact-details", {"email": "rhian.evans@example.com", "phone": ""}),
            ],
        ),
    ]


def _address(
    prefix: str, line1: str, line2: str, town: str, postcode: str, county: str = ""
) -> dict[str, str]:
    parts = {"line1": line1, "line2": line2, "town": town, "county": county, "postcode": postcode}
    return {f"{prefix}-{k}": v for k, v in parts.items()}


@dataclass(frozen=True)
class Prepared:
    """One journey with its forms encoded once (the load generator must stay lean)."""

    slug: str
    start: str
    steps: list[tuple[str, str, str]]  # url, encoded inputs (without the token), next url


def prepare(today: date) -> list[Prepared]:
    out = []
    for slug, steps in journeys(today):
        urls = [f"/services/{slug}/{page}" for page, _ in steps] + [
            f"/services/{slug}/check-answers"
        ]
        encoded = [
            (urls[i], urlencode(inputs, doseq=True), urls[i + 1])
            for i, (_, inputs) in enumerate(steps)
        ]
        out.append(Prepared(slug, f"/services/{slug}/", encoded))
    return out


def _expect(response: Any, status: int, what: str, location: str | None = None) -> None:
    if response.status != status:
        raise BenchError(
            f"{what}: HTTP {response.status}, expected {status} ({response.location or 'no Location'})"
        )
    if location is not None and response.location != location:
        raise BenchError(f"{what}: redirected to {response.location}, expected {location}")


def walk(client: Requester, journey: Prepared) -> None:
    """One citizen journey, start page to confirmation. Raises BenchError on any surprise."""
    _expect(client.request("GET", journey.start), 200, journey.start)
    url = journey.steps[0][0]
    page = client.request("GET", url)
    _expect(page, 200, url)
    for url, inputs, following in journey.steps:
        token = page.token()
        body = f"csrfmiddlewaretoken={token}&{inputs}" if inputs else f"csrfmiddlewaretoken={token}"
        _expect(client.request("POST", url, body), 303, f"POST {url}", following)
        page = client.request("GET", following)
        _expect(page, 200, following)
    check = journey.steps[-1][2]
    confirmation = f"/services/{journey.slug}/confirmation"
    body = f"csrfmiddlewaretoken={page.token()}&confirm=yes"
    _expect(client.request("POST", check, body), 303, f"POST {check}", confirmation)
    _expect(client.request("GET", confirmation), 200, confirmation)
