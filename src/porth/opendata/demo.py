"""The open data catalogue of the demo (`porth run`): the example services' performance
datasets, from the demo figures (porth.analytics.demo), and three datasets the Example
Council's data publisher made by hand, through the same actions as the staff pages and the
API: each with English and Welsh words, tags, themes, coverage, a contact, an uploaded CSV
and a link. Never in production.

The council's figures are made up, but plausible, and seeded: each demo looks the same. A
dataset already there (by name) is left as it is, so running it again adds nothing.
"""

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from porth.accounts.models import Organisation, Role, User
from porth.accounts.service import members

from . import actions, links, performance
from .models import Dataset

HOME = "example-council"
CONTACT = {
    "maintainer": "Example Council open data team",
    "maintainer_email": "data@example.gov.uk",
}
AREA = {"spatial": "Example Council area"}


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _months(first: date, count: int) -> list[date]:
    return [
        date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        for n in range(count)
    ]


def waste() -> bytes:
    """Two financial years of household waste by month: more in summer (garden waste goes
    to composting) and at Christmas, recycling a little up in the second year."""
    rng = random.Random("household-waste")
    rows = []
    for n, month in enumerate(_months(date(2024, 4, 1), 24)):
        summer = month.month in (5, 6, 7, 8, 9)
        total = rng.uniform(3300, 3700) + (450 if summer else 0) + (300 if month.month == 12 else 0)
        composted = total * (rng.uniform(0.17, 0.21) if summer else rng.uniform(0.07, 0.10))
        recycled = total * (rng.uniform(0.53, 0.56) + 0.01 * (n >= 12))
        landfill = total * rng.uniform(0.02, 0.04)
        recovered = total - composted - recycled - landfill
        rate = (recycled + composted) / total
        rows.append(
            [
                month.strftime("%Y-%m"),
                f"{total:.1f}",
                f"{recycled:.1f}",
                f"{composted:.1f}",
                f"{recovered:.1f}",
                f"{landfill:.1f}",
                f"{rate:.3f}",
            ]
        )
    header = [
        "month",
        "collected_tonnes",
        "recycled_tonnes",
        "composted_tonnes",
        "energy_recovery_tonnes",
        "landfill_tonnes",
        "recycling_rate",
    ]
    return _csv(header, rows)


TOWNS = ["Trefenghraifft", "Llanenghraifft", "Porth Enghraifft", "Cwm Enghraifft"]


def toilets() -> bytes:
    """The council's public toilets, with what each offers."""
    rng = random.Random("public-toilets")
    sites = ["Bus station", "Market hall", "Park", "Beach car park", "Library", "High Street"]
    rows = []
    for town in TOWNS:
        for site in rng.sample(sites, 3):
            accessible = rng.random() < 0.8
            rows.append(
                [
                    f"{town} {site.lower()}" if site != "High Street" else f"{town}, High Street",
                    town,
                    f"{52.05 + rng.uniform(-0.15, 0.15):.5f}",
                    f"{-3.75 + rng.uniform(-0.25, 0.25):.5f}",
                    "yes" if accessible else "no",
                    "yes" if accessible and rng.random() < 0.25 else "no",
                    "yes" if rng.random() < 0.7 else "no",
                    "yes" if accessible else "no",
                    rng.choice(["07:00-19:00", "08:00-18:00", "24 hours", "09:00-17:00"]),
                    rng.choice(["0.00", "0.00", "0.20"]),
                ]
            )
    header = [
        "name",
        "town",
        "latitude",
        "longitude",
        "accessible",
        "changing_places",
        "baby_changing",
        "radar_key",
        "opening_hours",
        "charge_gbp",
    ]
    return _csv(header, rows)


def car_parks() -> bytes:
    """The council's car parks: spaces, Blue Badge spaces, chargers and charges."""
    rng = random.Random("car-parks")
    rows = []
    for town in TOWNS:
        for kind in rng.sample(["Long stay", "Short stay", "Leisure centre"], 2):
            spaces = rng.randrange(40, 260)
            rows.append(
                [
                    f"{town} {kind.lower()}",
                    town,
                    spaces,
                    max(2, spaces // 20),
                    rng.choice([0, 2, 4, 6]),
                    "1.20" if kind == "Short stay" else "1.00",
                    "" if kind == "Short stay" else rng.choice(["4.50", "5.00"]),
                    f"{52.05 + rng.uniform(-0.15, 0.15):.5f}",
                    f"{-3.75 + rng.uniform(-0.25, 0.25):.5f}",
                ]
            )
    header = [
        "name",
        "town",
        "spaces",
        "blue_badge_spaces",
        "ev_charging_points",
        "charge_first_hour_gbp",
        "charge_all_day_gbp",
        "latitude",
        "longitude",
    ]
    return _csv(header, rows)


@dataclass(frozen=True)
class Example:
    data: dict[str, Any]  # package_create's fields
    filename: str
    body: Callable[[], bytes]
    upload: dict[str, str]  # the uploaded CSV's name and description
    link: Callable[[], dict[str, str]]  # the link resource (some are worked out)


def _blue_badge_link() -> dict[str, str]:
    return {
        "name": "Apply for a Blue Badge",
        "name_cy": "Gwneud cais am Fathodyn Glas",
        "description": "The council's online service for Blue Badges, which let holders "
        "park in the Blue Badge spaces listed here.",
        "description_cy": "Gwasanaeth ar-lein y cyngor ar gyfer Bathodynnau Glas, sy'n "
        "caniatáu i ddeiliaid barcio yn y lleoedd Bathodyn Glas a restrir yma.",
        "url": links.absolute(reverse("start", kwargs={"slug": "apply-for-a-blue-badge"})),
        "format": "HTML",
    }


EXAMPLES = [
    Example(
        data={
            "name": "household-waste-and-recycling",
            "title": "Household waste collected and recycled",
            "title_cy": "Gwastraff cartref a gasglwyd ac a ailgylchwyd",
            "notes": "How much household waste the council collected each month, and what "
            "became of it: recycled, composted, burnt to make energy, or sent to landfill. "
            "Tonnes are weighed at the transfer station.\n\nThe **recycling rate** is the "
            "share reused, recycled or composted, as in the Welsh Government's statutory "
            "target of 70% by 2024 to 2025.",
            "notes_cy": "Faint o wastraff cartref a gasglodd y cyngor bob mis, a beth a "
            "ddigwyddodd iddo: ei ailgylchu, ei gompostio, ei losgi i wneud ynni, neu ei "
            "anfon i safle tirlenwi. Caiff tunelli eu pwyso yn yr orsaf drosglwyddo.\n\n"
            "Y **gyfradd ailgylchu** yw'r gyfran a gafodd ei hailddefnyddio, ei hailgylchu "
            "neu ei chompostio, fel yn nharged statudol Llywodraeth Cymru o 70% erbyn 2024 "
            "i 2025.",
            "tags": [{"name": "recycling"}, {"name": "waste"}, {"name": "bins"}],
            "groups": [{"name": "environment"}],
            "temporal_start": "2024-04-01",
            "temporal_end": "2026-03-31",
            "frequency": "MONTHLY",
            **AREA,
            **CONTACT,
        },
        filename="household-waste-by-month.csv",
        body=waste,
        upload={
            "name": "Household waste by month, April 2024 to March 2026",
            "name_cy": "Gwastraff cartref fesul mis, Ebrill 2024 i Fawrth 2026",
            "description": "Tonnes collected, recycled, composted, sent for energy recovery "
            "and landfilled, and the recycling rate as a fraction.",
            "description_cy": "Tunelli a gasglwyd, a ailgylchwyd, a gompostiwyd, a anfonwyd i "
            "adfer ynni ac i safle tirlenwi, a'r gyfradd ailgylchu fel ffracsiwn.",
        },
        link=lambda: {
            "name": "Local authority municipal waste management (Welsh Government)",
            "name_cy": "Rheoli gwastraff trefol awdurdodau lleol (Llywodraeth Cymru)",
            "description": "The same figures for every council in Wales, by year.",
            "description_cy": "Yr un ffigurau ar gyfer pob cyngor yng Nghymru, fesul blwyddyn.",
            "url": "https://stats.gov.wales/en-GB/f9314a75-6c2b-4baf-b8ef-383a2bc06125/start",
            "format": "HTML",
        },
    ),
    Example(
        data={
            "name": "public-toilets",
            "title": "Public toilets",
            "title_cy": "Toiledau cyhoeddus",
            "notes": "Where the council's public toilets are, when they open, and what they "
            "offer: accessible toilets, Changing Places toilets, baby changing, and whether "
            "a RADAR key is needed. Published for the council's local toilets strategy, "
            "which the Public Health (Wales) Act 2017 requires.",
            "notes_cy": "Ble mae toiledau cyhoeddus y cyngor, pryd maen nhw ar agor, a beth "
            "maen nhw'n ei gynnig: toiledau hygyrch, toiledau Changing Places, cyfleusterau "
            "newid babanod, ac a oes angen allwedd RADAR. Fe'i cyhoeddir ar gyfer strategaeth "
            "toiledau lleol y cyngor, sy'n ofynnol gan Ddeddf Iechyd y Cyhoedd (Cymru) 2017.",
            "tags": [{"name": "toilets"}, {"name": "accessibility"}],
            "groups": [{"name": "towns-and-cities"}, {"name": "health"}],
            "frequency": "IRREG",
            **AREA,
            **CONTACT,
        },
        filename="public-toilets.csv",
        body=toilets,
        upload={
            "name": "Public toilets",
            "name_cy": "Toiledau cyhoeddus",
            "description": "One row a toilet, with its position (WGS 84 latitude and "
            "longitude), opening hours and charge in pounds.",
            "description_cy": "Un rhes y toiled, gyda'i leoliad (lledred a hydred WGS 84), ei "
            "oriau agor a'i dâl mewn punnoedd.",
        },
        link=lambda: {
            "name": "The Great British Public Toilet Map",
            "name_cy": "Map Toiledau Cyhoeddus Prydain",
            "description": "A map of public toilets across Britain, councils' included.",
            "description_cy": "Map o doiledau cyhoeddus ar draws Prydain, gan gynnwys rhai'r "
            "cynghorau.",
            "url": "https://www.toiletmap.org.uk/",
            "format": "HTML",
        },
    ),
    Example(
        data={
            "name": "car-parks",
            "title": "Council car parks",
            "title_cy": "Meysydd parcio'r cyngor",
            "notes": "The council's car parks: how many spaces each has, how many of them "
            "are for Blue Badge holders, electric vehicle chargers, and what parking costs.",
            "notes_cy": "Meysydd parcio'r cyngor: faint o leoedd sydd gan bob un, faint "
            "ohonynt sydd ar gyfer deiliaid Bathodyn Glas, gwefrwyr cerbydau trydan, a "
            "faint mae parcio'n ei gostio.",
            "tags": [{"name": "parking"}, {"name": "blue badge"}, {"name": "electric vehicles"}],
            "groups": [{"name": "transport"}],
            "temporal_start": "2026-04-01",
            "frequency": "ANNUAL",
            **AREA,
            **CONTACT,
        },
        filename="car-parks.csv",
        body=car_parks,
        upload={
            "name": "Car parks and charges from April 2026",
            "name_cy": "Meysydd parcio a thaliadau o fis Ebrill 2026",
            "description": "One row a car park. Charges in pounds; no all-day charge for a "
            "short-stay car park.",
            "description_cy": "Un rhes y maes parcio. Taliadau mewn punnoedd; dim tâl am y "
            "diwrnod cyfan mewn maes parcio arhosiad byr.",
        },
        link=_blue_badge_link,
    ),
]


class NoPublisher(Exception):
    """The demo staff are not there yet (`porth demo` makes them)."""


def _publisher() -> User:
    organisation = Organisation.objects.filter(slug=HOME).first()
    user = members(organisation, [Role.DATA_PUBLISHER]).first() if organisation else None
    if user is None:
        raise NoPublisher(f"{HOME} has no data publisher: run porth demo first")
    return user


def seed() -> list[str]:
    """The performance datasets (made or refreshed), then the council's own datasets that
    are not there yet; what was done, a line each."""
    done = [
        f"{outcome.action} performance dataset {outcome.dataset}"
        for outcome in performance.publish()
        if outcome.action != "unchanged"
    ]
    user = _publisher()
    for example in EXAMPLES:
        name = example.data["name"]
        if Dataset.objects.filter(name=name).exists():
            continue
        with transaction.atomic():  # all of it or none: a second run then makes it whole
            dataset = actions.create_dataset({**example.data, "owner_org": HOME}, actor=user)
            upload = SimpleUploadedFile(example.filename, example.body(), "text/csv")
            actions.add_resource(dataset, {**example.upload, "format": "CSV"}, upload, actor=user)
            actions.add_resource(dataset, example.link(), actor=user)
        done.append(f"created dataset {name}")
    return done
