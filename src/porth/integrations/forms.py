"""Reading the staff pages' forms: what was typed, and an error for each field that is wrong
(in the order of the page, for the error summary)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.http import QueryDict
from django.utils import timezone

from porth.accounts.models import Organisation
from porth.utils.text import has_control_characters

from . import destinations
from .models import Event, Scope

# How long a new token lasts: (value, label, days or None for no end).
EXPIRIES = [("90", "90 days", 90), ("365", "1 year", 365), ("never", "No end date", None)]


@dataclass
class Form:
    values: dict[str, object] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, field_id: str, text: str) -> None:
        self.errors.append({"text": text, "href": f"#{field_id}"})

    def message_for(self, field_id: str) -> str | None:
        return next((e["text"] for e in self.errors if e["href"] == f"#{field_id}"), None)


def _organisation(data: QueryDict, organisations: list[Organisation], form: Form) -> None:
    chosen = data.get("organisation", "")
    if len(organisations) == 1:
        chosen = str(organisations[0].pk)
    found = next((o for o in organisations if str(o.pk) == chosen), None)
    form.values["organisation"] = found
    if found is None:
        form.error("organisation", "Select the organisation")


def _name(data: QueryDict, field_id: str, what: str, form: Form, *, required: bool) -> str:
    value = data.get(field_id, "").strip()
    form.values[field_id] = value
    if required and not value:
        form.error(field_id, f"Enter {what}")
    elif len(value) > 100:
        form.error(field_id, f"{what[0].upper()}{what[1:]} must be 100 characters or fewer")
    elif has_control_characters(value):
        form.error(field_id, f"{what[0].upper()}{what[1:]} must not include hidden characters")
    return value


def token_form(data: QueryDict, organisations: list[Organisation]) -> Form:
    form = Form()
    _organisation(data, organisations, form)
    _name(data, "name", "a name for the token, such as the system that will use it", form,
          required=True)  # fmt: skip
    scopes = [scope for scope in data.getlist("scopes") if scope in Scope.values]
    form.values["scopes"] = scopes
    if not scopes:
        form.error("scopes", "Select what the token may do")
    expiry = data.get("expires", "")
    form.values["expires"] = expiry
    days = next((d for value, _, d in EXPIRIES if value == expiry), -1)
    if days == -1:
        form.error("expires", "Select how long the token lasts")
    form.values["expires_at"] = (
        timezone.now() + timedelta(days=days) if isinstance(days, int) and days > 0 else None
    )
    return form


def endpoint_form(data: QueryDict, organisations: list[Organisation]) -> Form:
    form = Form()
    _organisation(data, organisations, form)
    url = data.get("url", "").strip()
    form.values["url"] = url
    if not url:
        form.error("url", "Enter the address to send events to")
    elif len(url) > 500:
        form.error("url", "The address must be 500 characters or fewer")
    elif has_control_characters(url):
        form.error("url", "The address must not include hidden characters")
    else:
        try:
            destinations.check(url)
        except destinations.Refused as refused:
            form.error("url", refused.message)
    _name(data, "description", "a description", form, required=False)
    events = [event for event in data.getlist("events") if event in Event.values]
    form.values["events"] = events
    if not events:
        form.error("events", "Select the events to send")
    return form


def expiry_text(at: datetime | None) -> str:
    return at.strftime("%-d %B %Y") if at else "No end date"
