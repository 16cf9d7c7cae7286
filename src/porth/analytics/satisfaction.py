"""User satisfaction: the GOV.UK question on the confirmation page, its answers and comments.

"Overall, how did you feel about the service you received today?", on 5 points, and an
optional comment, asked once per submitted journey. The answer is a Feedback row (with the
comment screened: screening.py) and a `rated` event, which the roll-up counts (metric
"rating") for the user satisfaction KPI. The comments are read back by the dashboards.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import recorder
from .models import Feedback, Kind
from .screening import screen

# The five points as GOV.UK services show them, most satisfied first.
RATINGS = {
    5: gettext_lazy("Very satisfied"),
    4: gettext_lazy("Satisfied"),
    3: gettext_lazy("Neither satisfied or dissatisfied"),
    2: gettext_lazy("Dissatisfied"),
    1: gettext_lazy("Very dissatisfied"),
}
COMMENT_LIMIT = 1200  # characters, as the character count counts them


@dataclass(frozen=True)
class Comment:
    """A comment as staff may read it: screened, with the rating given alongside."""

    at: datetime
    rating: int
    text: str


def rate(
    service: str,
    *,
    journey_id: str,
    rating: int,
    comment: str,
    channel: str,
    language: str,
) -> bool:
    """Keep a citizen's answer to the satisfaction question about their submitted journey,
    and count it (a `rated` event, in the same transaction); False, changing nothing, when
    the journey has already been rated.

    Not audited, and so without an actor, unlike the writes in the apps' actions: the
    answer is anonymous and changes nobody's record, and an audit row would have to name
    the journey, tying the answer and its comment back to the submission."""
    if rating not in RATINGS:
        raise ValueError(f"a rating is 1 to 5, not {rating!r}")
    key = recorder.journey_key(journey_id)
    if Feedback.objects.filter(journey=key).exists():
        return False
    now = timezone.now()
    try:
        with transaction.atomic():
            Feedback.objects.create(
                service=service,
                at=now,
                journey=key,
                rating=rating,
                comment=screen(comment.strip())[: COMMENT_LIMIT * 2],
                channel=channel,
                language=language,
            )
            recorder.record(
                Kind.RATED,
                service,
                journey_id=journey_id,
                value=rating,
                channel=channel,
                at=now,
                now=True,
            )
    except IntegrityError:  # the same journey rated at the same moment, in another tab
        return False
    return True


def has_rated(journey_id: str) -> bool:
    return Feedback.objects.filter(journey=recorder.journey_key(journey_id)).exists()


def comments(service: str, first_day: date, last_day: date, limit: int = 50) -> list[Comment]:
    """The comments left about the service from `first_day` to `last_day` (local dates,
    both included), newest first."""
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    rows = (
        Feedback.objects.filter(service=service, at__gte=start, at__lt=end)
        .exclude(comment="")
        .order_by("-at", "-pk")
        .values_list("at", "rating", "comment")[:limit]
    )
    return [Comment(at, rating, text) for at, rating, text in rows]
