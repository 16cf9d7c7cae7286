"""Figures made up for dashboard tests: distinctive numbers a test can look for on a page.

Built from the dataclasses of kpis.py directly, so dashboard tests do not depend on how the
figures are computed (that is tested against raw events elsewhere)."""

from decimal import Decimal

from porth.analytics.figures import (
    Durations,
    ErrorRow,
    Figures,
    FunnelStep,
    Kpis,
    QueueThroughput,
    Ratio,
)
from porth.analytics.periods import Period


def kpis(scale: int = 1) -> Kpis:
    started, completed = 4321 * scale, 1234 * scale
    transactions = {
        "online": 1000 * scale,
        "assisted": 34 * scale,
        "phone": 150 * scale,
        "paper": 50 * scale,
    }
    ratings = {1: 3, 2: 5, 3: 11, 4: 40 * scale, 5: 61 * scale}
    responses = sum(ratings.values())
    total_cost = Decimal("5678.90") * scale
    return Kpis(
        started=started,
        completed=completed,
        completion_rate=Ratio(completed, started),
        transactions=transactions,
        digital_take_up=Ratio(1034 * scale, completed),
        ratings=ratings,
        satisfied=Ratio(ratings[4] + ratings[5], responses),
        satisfaction_score=0.77,
        costs={
            "online": Decimal("2400.00") * scale,
            "assisted": Decimal("278.90") * scale,
            "phone": Decimal("2000.00") * scale,
            "paper": Decimal("1000.00") * scale,
        },
        total_cost=total_cost,
        cost_per_transaction=(total_cost / completed).quantize(Decimal("0.01")),
    )


def figures(service: str, period: Period, channel: str | None = None, scale: int = 1) -> Figures:
    return Figures(
        service=service,
        period=period,
        channel=channel,
        kpis=kpis(scale),
        funnel=[
            FunnelStep(
                "where-do-you-live",
                "Where do you live?",
                "question",
                9876,
                4321,
                4000,
                321,
                Ratio(321, 4321),
            ),
            FunnelStep(
                "your-name", "What is your name?", "question", 0, 3900, 3700, 200, Ratio(200, 3900)
            ),
            FunnelStep(
                "check-answers", "Check your answers", "check", 0, 1500, 1234, 266, Ratio(266, 1500)
            ),
        ],
        errors=[
            ErrorRow("your-name", "full_name", "Full name", "Enter your full name", 777, 3900),
        ],
        durations=Durations(1234, 412.0, 1650.0),
        by_hour=[h * scale for h in range(24)],
        by_weekday=[101, 202, 303, 404, 505, 66, 77],
        devices={"mobile": 2100, "tablet": 321, "desktop": 1800, "other": 100},
        saved=555,
        resumed=444,
        changes=333,
        backs=222,
        casework=[QueueThroughput("blue-badge", 1200, 1100, 17, 86400.0 * 4)],
    )
