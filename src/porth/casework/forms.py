"""The queue page's filters, read from the query string; anything unknown is ignored."""

from typing import Any

from django import forms

from .models import Queue, Status
from .queries import SORTS, Filters

ASSIGNED = [("", "Anyone"), ("me", "Assigned to me"), ("unassigned", "Unassigned")]


class FilterForm(forms.Form):
    queue = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices])
    service = forms.ChoiceField(required=False)
    assigned = forms.ChoiceField(required=False, choices=ASSIGNED)
    overdue = forms.BooleanField(required=False)
    search = forms.CharField(required=False, max_length=100, strip=True)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])
    order = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")])

    def __init__(self, data: Any, *, queues: list[Queue], services: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["queue"].choices = [("", "All your queues")] + [  # type: ignore[attr-defined]
            (queue.pk, queue.name) for queue in queues
        ]
        self.fields["service"].choices = [("", "Any service"), *services]  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        """The valid filters; a field with a value we do not know is left out, not an error."""
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        return Filters(
            queue=data.get("queue") or None,
            status=data.get("status") or "",
            service=data.get("service") or "",
            assigned=data.get("assigned") or "",
            overdue=bool(data.get("overdue")),
            search=data.get("search") or "",
            sort=data.get("sort") or "created",
            order=data.get("order") or ("asc" if data.get("sort") == "due" else "desc"),
        )
