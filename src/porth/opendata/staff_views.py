"""The data publishers' pages: their organisations' datasets, each dataset's form and
resources, and their API tokens.

Views read the form and pick the page; every change goes through actions (checked, audited)
or tokens. Only data publishers get in (staff_view), and only to their own organisations'
datasets and their own tokens: anything else is a 404, as for cases.
"""

from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from porth.accounts.models import Organisation, Role, User
from porth.accounts.service import staff_view

from . import actions, links, tokens
from .access import publishing_organisations
from .datasets import Invalid
from .forms import VISIBILITIES, DatasetForm, ResourceForm, token_name_error, visibility_of
from .models import ApiToken, Dataset, Resource, State
from .vocabularies import FREQUENCIES, LICENCES, THEMES

PER_PAGE = 50
# The list's filters: what each shows, as a query on the publisher's datasets.
SHOWS: dict[str, tuple[str, Q]] = {
    "": ("All", ~Q(state=State.DELETED)),
    "draft": ("Drafts", Q(state=State.DRAFT)),
    "public": ("Public", Q(state=State.ACTIVE, private=False)),
    "private": ("Private", Q(state=State.ACTIVE, private=True)),
    "deleted": ("Deleted", Q(state=State.DELETED)),
}
DONE = {
    "created": "The dataset is saved",
    "saved": "Your changes are saved",
    "deleted": "The dataset is deleted",
    "resource-added": "The resource is added",
    "resource-saved": "The resource is saved",
    "resource-deleted": "The resource is deleted",
    "revoked": "The token is revoked: tools using it can no longer change your datasets",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_view lets only signed-in staff through
    return user


def _own(request: HttpRequest) -> QuerySet[Dataset]:
    return Dataset.objects.filter(organisation_id__in=publishing_organisations(_user(request)))


def _dataset(request: HttpRequest, name: str) -> Dataset:
    dataset = _own(request).select_related("organisation").filter(name=name).first()
    if dataset is None:
        raise Http404
    return dataset


def _resource(dataset: Dataset, resource_id: UUID) -> Resource:
    resource = dataset.resources.filter(pk=resource_id).first()
    if resource is None:
        raise Http404
    resource.dataset = dataset
    return resource


def _done(url: str, done: str) -> HttpResponse:
    return HttpResponseRedirect(f"{url}?{urlencode({'done': done})}", status=303)


def _banner(request: HttpRequest) -> str | None:
    return DONE.get(request.GET.get("done", ""))


@never_cache
@require_safe
@staff_view(Role.DATA_PUBLISHER)
def datasets(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    if show not in SHOWS:
        show = ""
    found = (
        _own(request)
        .filter(SHOWS[show][1])
        .select_related("organisation")
        .annotate(resource_count=Count("resources"))
        .order_by("-modified", "name")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    organisations = Organisation.objects.filter(pk__in=publishing_organisations(_user(request)))
    return render(
        request,
        "staff/opendata/datasets.html",
        {
            "title": "Open data",
            "show": show,
            "shows": {key: label for key, (label, _) in SHOWS.items()},
            "page": page,
            "several_organisations": organisations.count() > 1,
            "done": _banner(request),
        },
    )


def _form_context(
    request: HttpRequest, form: DatasetForm, dataset: Dataset | None
) -> dict[str, Any]:
    organisations = Organisation.objects.filter(
        pk__in=publishing_organisations(_user(request))
    ).order_by("name")
    return {
        "form": form,
        "values": form.values,
        "err": form.errors,
        "errors": form.summary(),
        "has_errors": bool(form.errors),
        "dataset": dataset,
        "organisations": organisations,
        "licences": LICENCES.values(),
        "frequencies": FREQUENCIES.values(),
        "themes": THEMES,
        "visibilities": VISIBILITIES,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.DATA_PUBLISHER)
def new_dataset(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = DatasetForm.posted(request.POST)
        package = form.package()
        if package is not None:
            try:
                dataset = actions.create_dataset(package, actor=user, request=request)
            except Invalid as invalid:
                form.add_invalid(invalid.errors)
            except actions.NotAuthorised as refused:
                raise Http404 from refused
            else:
                return _done(reverse("opendata-staff-dataset", args=[dataset.name]), "created")
    else:
        mine = Organisation.objects.filter(pk__in=publishing_organisations(user)).order_by("name")
        first = mine.first()
        form = DatasetForm.of(None, owner_org=first.slug if first and mine.count() == 1 else "")
    context = _form_context(request, form, None)
    context.update(title="Add a dataset", back_url=reverse("opendata-staff-datasets"))
    return render(
        request, "staff/opendata/dataset_form.html", context, status=400 if form.errors else 200
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.DATA_PUBLISHER)
def dataset(request: HttpRequest, name: str) -> HttpResponse:
    """A dataset's form, with its resources below it."""
    found = _dataset(request, name)
    if request.method == "POST":
        form = DatasetForm.posted(request.POST)
        package = form.package(found)
        if package is not None:
            try:
                saved = actions.update_dataset(
                    found, package, actor=_user(request), request=request
                )
            except Invalid as invalid:
                form.add_invalid(invalid.errors)
            else:
                return _done(reverse("opendata-staff-dataset", args=[saved.name]), "saved")
    else:
        form = DatasetForm.of(found)
    context = _form_context(request, form, found)
    context.update(
        title=found.title or found.name,
        back_url=reverse("opendata-staff-datasets"),
        resources=list(found.resources.all()),
        public_path=links.dataset_path(found),
        live=found.state == State.ACTIVE and not found.private,
        deleted=found.state == State.DELETED,
        done=_banner(request),
        visibility=visibility_of(found),
    )
    return render(
        request, "staff/opendata/dataset_form.html", context, status=400 if form.errors else 200
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.DATA_PUBLISHER)
def delete_dataset(request: HttpRequest, name: str) -> HttpResponse:
    found = _dataset(request, name)
    if found.state == State.DELETED:
        return HttpResponseRedirect(reverse("opendata-staff-dataset", args=[name]), status=303)
    if request.method == "POST":
        actions.delete_dataset(found, actor=_user(request), request=request)
        return _done(reverse("opendata-staff-datasets"), "deleted")
    return render(
        request,
        "staff/opendata/confirm.html",
        {
            "title": f"Delete {found.title}?",
            "caption": found.title,
            "heading": "Are you sure you want to delete this dataset?",
            "body": "Nobody will be able to find or download it. Its web address stays "
            "reserved for it, and you can restore it from the list of deleted datasets.",
            "button": "Delete dataset",
            "back_url": reverse("opendata-staff-dataset", args=[name]),
        },
    )


def _resource_page(
    request: HttpRequest,
    dataset: Dataset,
    form: ResourceForm,
    resource: Resource | None,
) -> HttpResponse:
    return render(
        request,
        "staff/opendata/resource_form.html",
        {
            "title": str(resource) if resource else "Add a resource",
            "dataset": dataset,
            "resource": resource,
            "values": form.values,
            "err": form.errors,
            "errors": form.summary(),
            "has_errors": bool(form.errors),
            "back_url": reverse("opendata-staff-dataset", args=[dataset.name]),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.DATA_PUBLISHER)
def new_resource(request: HttpRequest, name: str) -> HttpResponse:
    found = _dataset(request, name)
    if request.method != "POST":
        return _resource_page(request, found, ResourceForm.of(None), None)
    form = ResourceForm.posted(request.POST)
    upload = request.FILES.get("upload")
    try:
        actions.add_resource(
            found,
            form.data(is_upload=upload is not None),
            upload,
            actor=_user(request),
            request=request,
        )
    except Invalid as invalid:
        form.add_invalid(invalid.errors)
        return _resource_page(request, found, form, None)
    return _done(reverse("opendata-staff-dataset", args=[name]), "resource-added")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.DATA_PUBLISHER)
def resource(request: HttpRequest, name: str, resource_id: UUID) -> HttpResponse:
    found = _dataset(request, name)
    item = _resource(found, resource_id)
    if request.method != "POST":
        return _resource_page(request, found, ResourceForm.of(item), item)
    form = ResourceForm.posted(request.POST)
    upload = request.FILES.get("upload")
    try:
        actions.change_resource(
            item,
            form.data(is_upload=upload is not None or bool(item.upload)),
            upload,
            actor=_user(request),
            request=request,
        )
    except Invalid as invalid:
        form.add_invalid(invalid.errors)
        return _resource_page(request, found, form, _resource(found, resource_id))
    return _done(reverse("opendata-staff-dataset", args=[name]), "resource-saved")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.DATA_PUBLISHER)
def delete_resource(request: HttpRequest, name: str, resource_id: UUID) -> HttpResponse:
    found = _dataset(request, name)
    item = _resource(found, resource_id)
    if request.method == "POST":
        actions.delete_resource(item, actor=_user(request), request=request)
        return _done(reverse("opendata-staff-dataset", args=[name]), "resource-deleted")
    return render(
        request,
        "staff/opendata/confirm.html",
        {
            "title": f"Delete {item}?",
            "caption": found.title,
            "heading": f"Are you sure you want to delete “{item}”?",
            "body": "The file is deleted and its address stops working. This cannot be undone."
            if item.upload
            else "The link is taken off the dataset. This cannot be undone.",
            "button": "Delete resource",
            "back_url": reverse("opendata-staff-dataset", args=[name]),
        },
    )


def _tokens_page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    return render(
        request,
        "staff/opendata/tokens.html",
        {
            "title": "API tokens",
            "tokens": ApiToken.objects.filter(user=_user(request)).order_by("-created"),
            "site": request.build_absolute_uri("/").rstrip("/"),
            "done": _banner(request),
            "errors": [],
            "name": "",
            **context,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.DATA_PUBLISHER)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The publisher's own tokens. A new one is shown on the page that answers the POST, once:
    only its hash is kept, so no later page can show it."""
    if request.method != "POST":
        return _tokens_page(request)
    name = request.POST.get("name", "")
    error = token_name_error(name)
    if error:
        return _tokens_page(
            request,
            status=400,
            name=name,
            errors=[{"text": error, "href": "#name"}],
            has_errors=True,
        )
    user = _user(request)
    token, secret = tokens.make(user, name, actor=user, request=request)
    return _tokens_page(request, made=token, secret=secret)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.DATA_PUBLISHER)
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _user(request)
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        tokens.revoke(token, actor=user, request=request)
        return _done(reverse("opendata-staff-tokens"), "revoked")
    return render(
        request,
        "staff/opendata/confirm.html",
        {
            "title": f"Revoke {token.name}?",
            "caption": "API tokens",
            "heading": f"Are you sure you want to revoke “{token.name}”?",
            "body": "Tools that use this token will no longer be able to change your "
            "organisation’s datasets. This cannot be undone: make a new token if you need one.",
            "button": "Revoke token",
            "back_url": reverse("opendata-staff-tokens"),
        },
    )
