"""The auditors' search: every filter optional, each one served by an index."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

DATE_ERROR = "Enter a real date in the format YYYY-MM-DD, for example 2026-03-27"


class SearchForm(forms.Form):
    # Staff pages are English only, so the labels and messages are not translated.
    reference = forms.CharField(required=False, max_length=64, strip=True)
    who = forms.CharField(required=False, max_length=150, strip=True)
    action = forms.CharField(required=False, max_length=60, strip=True)
    start = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": DATE_ERROR}
    )
    end = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": DATE_ERROR}
    )
    # Keyset pagination: entries older than `before`, or newer than `after` (ids).
    before = forms.IntegerField(required=False, min_value=1)
    after = forms.IntegerField(required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> dict[str, str]:
        """The filters in use, as text: for the `audit.viewed` entry and the page links."""
        names = ("reference", "who", "action", "start", "end")
        return {name: str(self.cleaned_data[name]) for name in names if self.cleaned_data[name]}


def day_start(day: date) -> datetime:
    """Midnight at the start of `day`, in the platform's time zone (Europe/London)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_after(day: date) -> datetime:
    return day_start(day + timedelta(days=1))
