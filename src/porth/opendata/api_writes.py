"""The CKAN actions that write (a token is needed; api.py checks there is one). Writes go
through actions.py, which checks who may, validates and audits."""

from typing import Any

from django.db.models import Q

from . import actions
from .api import Call, NotFound, action
from .api_params import as_uuid, identifier, loaded, resource_by_id
from .models import Dataset
from .packages import as_input, package_dict, resource_dict


def _shown(dataset: Dataset, call: Call) -> dict[str, Any]:
    return package_dict(loaded(Dataset.objects.filter(pk=dataset.pk)).get(), call.request)


def _writable(call: Call) -> Dataset:
    wanted = identifier(call.params, "id", "name")
    key = as_uuid(wanted)
    found = Dataset.objects.filter(Q(pk=key) if key else Q(name=wanted)).first()
    if found is None:
        raise NotFound("Dataset not found")
    return found


@action(write=True)
def package_create(call: Call) -> dict[str, Any]:
    """Make a dataset: name, title, owner_org and the rest of package_show's fields."""
    data = {key: value for key, value in call.params.items() if key != "id"}
    created = actions.create_dataset(data, actor=call.user, request=call.request)
    return _shown(created, call)


@action(write=True)
def package_update(call: Call) -> dict[str, Any]:
    """Replace a dataset (by id or name) with what is sent: a field left out is cleared;
    resources left out are kept, a list of them is the new list."""
    dataset = _writable(call)
    actions.update_dataset(dataset, call.params, actor=call.user, request=call.request)
    return _shown(dataset, call)


@action(write=True)
def package_patch(call: Call) -> dict[str, Any]:
    """Change only the fields sent of a dataset (by id or name)."""
    dataset = _writable(call)
    base = as_input(dataset)
    for field in ("title", "notes"):
        if f"{field}_translated" in call.params:  # the translations sent replace both fields
            base.pop(field)
            base.pop(f"{field}_cy")
    if "tag_string" in call.params:
        base.pop("tags")
    actions.update_dataset(dataset, {**base, **call.params}, actor=call.user, request=call.request)
    return _shown(dataset, call)


@action(write=True)
def package_delete(call: Call) -> None:
    """Delete a dataset (by id or name): it is hidden, and its name stays taken."""
    actions.delete_dataset(_writable(call), actor=call.user, request=call.request)


def _upload(call: Call) -> Any:
    return call.request.FILES.get("upload") if call.request.method == "POST" else None


@action(write=True)
def resource_create(call: Call) -> dict[str, Any]:
    """Add a resource to a dataset (package_id): a file sent as multipart `upload` (CSV,
    JSON or XLSX, checked), or a link (`url`); name, description, format."""
    package_id = identifier(call.params, "package_id")
    dataset = _writable(Call(call.request, {"id": package_id}, call.user, call.organisations))
    data = {key: value for key, value in call.params.items() if key != "upload"}
    resource = actions.add_resource(
        dataset, data, _upload(call), actor=call.user, request=call.request
    )
    return resource_dict(resource, call.request, dataset)


@action(write=True)
def resource_patch(call: Call) -> dict[str, Any]:
    """Change the fields sent of a resource (id); a new `upload` replaces its file."""
    resource = resource_by_id(call)
    data = {key: value for key, value in call.params.items() if key not in {"upload", "id"}}
    actions.change_resource(resource, data, _upload(call), actor=call.user, request=call.request)
    return resource_dict(resource, call.request)


@action(write=True)
def resource_delete(call: Call) -> None:
    """Delete a resource (id) and its file."""
    actions.delete_resource(resource_by_id(call), actor=call.user, request=call.request)
