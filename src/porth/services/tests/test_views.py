"""The front door: the catalogue, searching it in English and Welsh, and start pages."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings as django_settings
from django.test import Client

from porth.services import registry

pytestmark = pytest.mark.django_db


def _service(slug: str, name: tuple[str, str], summary: tuple[str, str], **extra: Any) -> dict:
    return {
        "slug": slug,
        "name": {"en": name[0], "cy": name[1]},
        "summary": {"en": summary[0], "cy": summary[1]},
        "organisation": {
            "id": "test-council",
            "name": {"en": "Test Council", "cy": "Cyngor Prawf"},
        },
        "start": {
            "body": {"en": f"Use this service to {name[0].lower()}.", "cy": "Defnyddiwch hwn."},
            "before_you_start": {"en": "Have your details ready.", "cy": "Paratowch."},
        },
        "pages": [
            {
                "id": "first-question",
                "fields": [{"id": "answer", "type": "text", "label": {"en": "Your answer"}}],
            }
        ],
        "declaration": {"body": {"en": "It is true."}},
        "confirmation": {"body": {"en": "We will reply."}},
        **extra,
    }


SERVICES = [
    _service(
        "apply-for-a-blue-badge",
        ("Apply for a Blue Badge", "Gwneud cais am Fathodyn Glas"),
        ("Get a disabled parking permit.", "Cael trwydded barcio i bobl anabl."),
        keywords=["disabled parking", "bathodyn glas"],
    ),
    _service(
        "report-a-road-problem",
        ("Report a problem with a road", "Rhoi gwybod am broblem â ffordd"),
        ("Tell us about a pothole.", "Rhowch wybod i ni am dwll yn y ffordd."),
        keywords=["pothole", "twll yn y ffordd"],
    ),
    _service(
        "apply-for-a-discount",
        ("Apply for a Council Tax discount", "Gwneud cais am ostyngiad Treth y Cyngor"),
        ("Pay less if you live alone, or a badge holder lives with you.", "Talu llai."),
    ),
]


@pytest.fixture
def catalogue(tmp_path: Path, settings: Any) -> Iterator[None]:
    settings.PORTH_SERVICES_DIR = tmp_path
    for service in SERVICES:
        text = yaml.safe_dump(service, allow_unicode=True, sort_keys=False)
        (tmp_path / f"{service['slug']}.yaml").write_text(text)
    registry.reload()
    yield
    registry.reload()


def _listed(html: str) -> list[str]:
    """The services shown, in order, by their start-page links."""
    return re.findall(r'<h2[^>]*><a class="govuk-link" href="/services/([a-z-]+)/"', html)


def test_catalogue_lists_every_service_by_name(client: Client, catalogue: None) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert _listed(html) == [
        "apply-for-a-blue-badge",
        "apply-for-a-discount",
        "report-a-road-problem",
    ]
    assert "Get a disabled parking permit." in html
    assert "Test Council" in html


def test_catalogue_in_welsh_lists_welsh_names_in_welsh_order(
    client: Client, catalogue: None
) -> None:
    html = client.get("/?lang=cy").content.decode()

    assert re.search(r'<html[^>]* lang="cy"', html)
    assert "Gwneud cais am Fathodyn Glas" in html
    assert "Cyngor Prawf" in html
    assert _listed(html) == [
        "apply-for-a-blue-badge",
        "apply-for-a-discount",
        "report-a-road-problem",
    ]


@pytest.mark.parametrize(
    ("query", "language", "found"),
    [
        pytest.param("badge", "en", ["apply-for-a-blue-badge", "apply-for-a-discount"], id="name"),
        pytest.param("BLUE badge", "en", ["apply-for-a-blue-badge"], id="case"),
        pytest.param("parking", "en", ["apply-for-a-blue-badge"], id="summary-and-keyword"),
        pytest.param("pothole", "en", ["report-a-road-problem"], id="keyword"),
        pytest.param("apply discount", "en", ["apply-for-a-discount"], id="every-word"),
        pytest.param(
            "Gwneud cais", "cy", ["apply-for-a-blue-badge", "apply-for-a-discount"], id="welsh"
        ),
        pytest.param("bathodyn glas", "cy", ["apply-for-a-blue-badge"], id="welsh-keyword"),
        pytest.param("twll", "en", ["report-a-road-problem"], id="welsh-keyword-in-english"),
        pytest.param("broblem a ffordd", "cy", ["report-a-road-problem"], id="accent-left-out"),
        pytest.param(
            "Gwnëud câis",
            "cy",
            ["apply-for-a-blue-badge", "apply-for-a-discount"],
            id="accent-added",
        ),
        pytest.param(
            "  ",
            "en",
            ["apply-for-a-blue-badge", "apply-for-a-discount", "report-a-road-problem"],
            id="blank-lists-all",
        ),
    ],
)
def test_search_finds_services(
    client: Client, catalogue: None, query: str, language: str, found: list[str]
) -> None:
    response = client.get("/", {"q": query, "lang": language})

    assert _listed(response.content.decode()) == found


def test_search_puts_matches_in_the_name_first(client: Client, catalogue: None) -> None:
    html = client.get("/", {"q": "badge"}).content.decode()

    # "badge" is in the Blue Badge service's name, but only in the discount's summary.
    assert _listed(html) == ["apply-for-a-blue-badge", "apply-for-a-discount"]


def test_search_says_how_many_services_match(client: Client, catalogue: None) -> None:
    one = client.get("/", {"q": "pothole"}).content.decode()
    two = client.get("/", {"q": "badge"}).content.decode()

    assert "1 service matches ‘pothole’" in one
    assert "2 services match ‘badge’" in two


def test_search_with_no_results_says_so(client: Client, catalogue: None) -> None:
    html = client.get("/", {"q": "passport"}).content.decode()

    assert _listed(html) == []
    assert "No services match your search. Check the spelling or use fewer words." in html
    assert '<a class="govuk-link" href="/">See all services</a>' in html


def test_search_keeps_the_query_in_the_box_escaped(client: Client, catalogue: None) -> None:
    html = client.get("/", {"q": '"><script>x</script>'}).content.decode()

    assert "<script>x</script>" not in html
    assert re.search(r'id="q" name="q" type="search" value="&#34;&gt;&lt;script&gt;', html)


def test_start_page_has_a_start_now_link_to_the_first_page(client: Client, catalogue: None) -> None:
    response = client.get("/services/apply-for-a-blue-badge/")

    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    button = re.search(r'<a href="([^"]+)"[^>]*class="[^"]*govuk-button--start[^"]*"', html)
    assert button, "a GOV.UK start button"
    assert button.group(1) == "/services/apply-for-a-blue-badge/first-question"
    assert "Start now" in html
    assert "Use this service to apply for a blue badge." in html
    assert "Before you start" in html
    assert '<h1 class="govuk-heading-xl">Apply for a Blue Badge</h1>' in html


def test_start_page_in_welsh(client: Client, catalogue: None) -> None:
    html = client.get("/services/apply-for-a-blue-badge/?lang=cy").content.decode()

    assert re.search(r'<html[^>]* lang="cy"', html)
    assert "Gwneud cais am Fathodyn Glas" in html
    assert "Defnyddiwch hwn." in html


def test_language_choice_is_remembered(client: Client, catalogue: None) -> None:
    client.get("/?lang=cy")

    html = client.get("/services/report-a-road-problem/").content.decode()

    assert "Rhoi gwybod am broblem â ffordd" in html


def test_unknown_start_page_is_not_found(client: Client, catalogue: None) -> None:
    assert client.get("/services/no-such-service/").status_code == 404


def test_every_shipped_example_is_in_the_catalogue(client: Client) -> None:
    shipped = sorted(p.stem for p in Path(django_settings.PORTH_SERVICES_DIR).glob("*.yaml"))

    listed = _listed(client.get("/").content.decode())

    assert shipped
    assert sorted(listed) == shipped
