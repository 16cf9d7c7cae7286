"""The service owner's cost entry: what a channel cost over a day, week, month or quarter."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from .params import CHANNELS, KINDS
from .periods import Period

MAX_AMOUNT = Decimal("999999999999.99")


class CostForm(forms.Form):
    """Checked by hand rather than by Django's fields, so each message says what to do, in
    the words of the GOV.UK error summary."""

    channel = forms.CharField(required=False)
    period = forms.CharField(required=False)
    start = forms.CharField(required=False)
    amount = forms.CharField(required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") not in CHANNELS:
            self.add_error("channel", "Select the channel the cost is for")
        kind = data.get("period", "")
        start = (data.get("start") or "").strip()
        if kind not in KINDS:
            self.add_error("period", "Select whether the cost is for a day, week, month or quarter")
        elif not start:
            self.add_error("start", "Enter the first day of the period, for example 2026-11-01")
        else:
            try:
                data["span"] = Period.parse(kind, start)
            except ValueError:
                self.add_error(
                    "start", "Enter the first day as a real date, for example 2026-11-01"
                )
            else:
                if data["span"].start > self.today:
                    self.add_error(
                        "start", "The period must have started: enter a date today or before"
                    )
        text = (data.get("amount") or "").strip().replace(",", "").removeprefix("£")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.add_error("amount", "Enter the cost in pounds, like 1250 or 1250.50")
        else:
            if not amount.is_finite() or amount < 0:
                self.add_error("amount", "Enter a cost of £0 or more")
            elif amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
                self.add_error("amount", "Enter the cost in pounds and pence, like 1250.50")
            else:
                data["pounds"] = amount
        return data

    def summary(self) -> list[dict[str, str]]:
        """The errors for govukErrorSummary, in the order of the fields."""
        return [
            {"text": str(self.errors[name][0]), "href": f"#{name}"}
            for name in ("channel", "period", "start", "amount")
            if name in self.errors
        ]
