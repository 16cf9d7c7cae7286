"""Load-time checks of a definition's experiments (experiments.py): each names a page of the
definition and fields of that page, changes something, and no page has two tests at once.

What variant b may change (wording only) and the split's range are checked by the models.
"""

from datetime import date

from .models import Definition
from .problems import Problem


def check(definition: Definition, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    seen: set[str] = set()
    running: dict[str, str] = {}  # page id -> the experiment running on it
    for e, experiment in enumerate(definition.experiments):
        where = f"experiments[{e}]"
        if experiment.id in seen:
            problems.append(
                Problem(f"{where}.id", f"experiment id {experiment.id!r} is used twice")
            )
        seen.add(experiment.id)
        if not definition.has_page(experiment.page):
            problems.append(Problem(f"{where}.page", f"there is no page {experiment.page!r}"))
            continue
        page = definition.page(experiment.page)
        if not experiment.b.texts():
            problems.append(
                Problem(f"{where}.b", "variant b changes nothing: give the words that differ")
            )
        fields = {field.id for field in page.fields}
        for field_id in experiment.b.fields:
            if field_id not in fields:
                problems.append(
                    Problem(
                        f"{where}.b.fields.{field_id}",
                        f"page {page.id!r} has no field {field_id!r}",
                    )
                )
        # Once ended, a test stays in the definition for its results: only running ones clash.
        if experiment.running(today):
            other = running.get(page.id)
            if other is not None:
                problems.append(
                    Problem(
                        f"{where}.page",
                        f"page {page.id!r} is already tested by experiment {other!r}: "
                        "run one test of a page at a time (give the other an earlier `ends`)",
                    )
                )
            running.setdefault(page.id, experiment.id)
    return problems


def missing_welsh(definition: Definition) -> list[Problem]:
    """Texts of variant b with no Welsh. Not an error: Welsh journeys are left out of such a
    test (they see the page as it is), so that nobody reading Welsh is shown English."""
    return [
        Problem(f"experiments[{e}].b.{path}", "has no Welsh (cy): Welsh journeys see variant a")
        for e, experiment in enumerate(definition.experiments)
        for path, text in experiment.b.texts()
        if text.cy is None
    ]
