"""Which variant of a page a journey sees in an experiment, and variant b's page itself.

Assignment is sticky with no cookie of its own: a journey's variant is a keyed hash of the
experiment id and the journey id, mapped to 0..99, below the split for variant b. The same
journey always gets the same variant (on any device, after saving, in any worker), different
experiments split journeys independently, and as the key is secret a citizen can neither
work out nor choose a variant. A journey not yet saved gets the variant its saved self will
have: its id is drawn before the first save (see `steer`).

Plain Python like the engine: the key is passed in (`porth.services.service` gives it).
"""

import hashlib
import hmac
from collections.abc import Callable
from datetime import date
from typing import Literal

from .definition import Definition, Page
from .definition.experiments import Experiment

Arm = Literal["a", "b"]
# Journey ids drawn at most for `steer`: with a 1% split, 0.99 ** 2000 < 3e-9.
MAX_DRAWS = 2000


def bucket(key: bytes, experiment_id: str, journey_id: str) -> int:
    """0..99, uniformly, from the keyed hash of the experiment and the journey."""
    message = experiment_id.encode() + b"\0" + journey_id.encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    # 64 bits modulo 100: no share is favoured by more than 100 / 2**64.
    return int.from_bytes(digest[:8], "big") % 100


def arm(key: bytes, experiment: Experiment, journey_id: str) -> Arm:
    return "b" if bucket(key, experiment.id, journey_id) < experiment.split else "a"


def running(definition: Definition, page_id: str, today: date) -> Experiment | None:
    """The experiment running on the page, if any (the checks allow one at a time)."""
    for experiment in definition.experiments:
        if experiment.page == page_id and experiment.running(today):
            return experiment
    return None


def variant_b(definition: Definition, experiment: Experiment) -> Page:
    """The experiment's page with variant b's wording (made once per definition)."""
    cache: dict[str, Page] = definition.variant_pages
    found = cache.get(experiment.id)
    if found is None:
        page = definition.page(experiment.page)
        wording = experiment.b
        changed: dict[str, object] = {}
        if wording.title is not None:
            changed["title"] = wording.title
        if wording.body is not None:
            changed["body"] = wording.body
        if wording.fields:
            changed["fields"] = [
                field.model_copy(
                    update={
                        name: text
                        for name in ("label", "hint")
                        if (text := getattr(wording.fields[field.id], name)) is not None
                    }
                )
                if field.id in wording.fields
                else field
                for field in page.fields
            ]
        found = cache[experiment.id] = page.as_variant(f"{experiment.id}:b", **changed)
    return found


def has_welsh(experiment: Experiment) -> bool:
    return all(text.cy is not None for _, text in experiment.b.texts())


def page_for(
    definition: Definition,
    page_id: str,
    journey_id: str,
    *,
    key: bytes,
    language: str,
    today: date,
) -> tuple[Page, str]:
    """The page as this journey sees it, and its variant: "<experiment>:a" or
    "<experiment>:b" on a page under test, "" on any other. A Welsh journey is left out of
    a test whose variant b has no Welsh (it would read English): it sees the page as it is."""
    page = definition.page(page_id)
    experiment = running(definition, page_id, today)
    if experiment is None or (language == "cy" and not has_welsh(experiment)):
        return page, ""
    if arm(key, experiment, journey_id) == "a":
        return page, f"{experiment.id}:a"
    return variant_b(definition, experiment), f"{experiment.id}:b"


def steer(
    definition: Definition,
    first_page: str,
    seed: str,
    draw: Callable[[], str],
    *,
    key: bytes,
    today: date,
) -> str:
    """A new journey id (from `draw`) in the same variant as `seed` in the experiment on
    the journey's first page, if one runs there.

    A journey is stored at its first answer, and until then each request makes a new,
    unsaved one (with a new id). `seed` is the same on every request from the browser (its
    CSRF secret), so the first page shows the same variant on every view, with or without
    errors, and the journey that is saved has that variant too. Only the first page needs
    it: by any other page the journey is saved, and its id is fixed."""
    experiment = running(definition, first_page, today)
    journey_id = draw()
    if experiment is None:
        return journey_id
    wanted = arm(key, experiment, seed)
    for _ in range(MAX_DRAWS):
        if arm(key, experiment, journey_id) == wanted:
            break
        journey_id = draw()
    return journey_id
