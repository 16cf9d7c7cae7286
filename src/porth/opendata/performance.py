"""Every live service's performance, published as a dataset of its own and kept up to date.

For each service with a whole month of figures, a dataset `<service>-performance` of the
service's organisation, with two files Porth makes: the KPIs by calendar month as CSV
(disclosure.py withholds the small numbers) and its CSVW data dictionary (csvw.py). The
figures are porth.analytics', read from its rollups.

`publish` runs on a schedule (tasks.py, every PORTH_OPENDATA_REFRESH_HOURS) and from
`porth opendata_publish`. It writes only what changed, so that `modified` says when the
figures last changed, and a run that finds nothing new writes nothing (and audits nothing):

- each dataset in one transaction, with an audit entry in it (no actor: Porth itself);
- a file is replaced only when its bytes differ (compared by SHA-256); the new one is saved
  under a new folder, the row switched to it, and the old one deleted once that commits;
- the fields Porth makes (titles, description, licence, themes, tags, coverage) are put
  back if changed by hand; visibility, contact and the publishers' own resources are not
  touched. A performance dataset a publisher deleted stays deleted.

A dataset whose service is no longer live is kept as it was, not refreshed: its description
says so (once, with an audit entry), and its update frequency becomes NEVER.
"""

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from porth.accounts.models import Organisation
from porth.accounts.service import organisation_id
from porth.analytics import service as analytics
from porth.analytics.models import MonthCount
from porth.audit.service import record
from porth.services import service as services

from . import csvw, disclosure, links, uploads
from . import performance_notes as words
from .models import CatalogueVersion, Dataset, Resource, State, Tag, Theme, upload_to
from .vocabularies import DEFAULT_LICENCE, licence

THEME = "digital-service-performance"
TAGS = (
    "service performance",
    "transactions",
    "completion rate",
    "digital take-up",
    "user satisfaction",
    "cost per transaction",
)
CSV_KEY = "performance-csv"  # Resource.generated
CSVW_KEY = "performance-csvw"
BY = "the performance data refresh"  # in the audit entries' data: who made the change

Period = analytics.Period


@dataclass
class Outcome:
    """What a run did to one service's dataset: created, updated, unchanged, ended (its
    service is no longer live), or skipped (deleted by a publisher)."""

    service: str
    dataset: str
    action: str
    changed: list[str] = field(default_factory=list)


def months(slugs: list[str], last: Period) -> dict[str, list[Period]]:
    """Each service's calendar months from its first with any figures to its last, up to
    `last`; a service with no figures by then has none."""
    spans = (
        MonthCount.objects.filter(service__in=slugs, month__lte=last.start)
        .values("service")
        .annotate(first=Min("month"), latest=Max("month"))
        .order_by()
    )
    found: dict[str, list[Period]] = {}
    for span in spans:
        month, end = Period("month", span["first"]), Period("month", span["latest"])
        found[span["service"]] = []
        while month <= end:
            found[span["service"]].append(month)
            month = month.next()
    return found


def figures(by_service: dict[str, list[Period]]) -> dict[str, list[disclosure.MonthFigures]]:
    """The month's figures of each service: analytics' KPIs, a few queries a month for all
    services together."""
    services_in: dict[Period, list[str]] = defaultdict(list)
    for slug, periods in by_service.items():
        for period in periods:
            services_in[period].append(slug)
    found: dict[str, dict[Period, disclosure.MonthFigures]] = defaultdict(dict)
    for period, slugs in services_in.items():
        for slug, kpis in analytics.overview(slugs, period).items():
            found[slug][period] = disclosure.MonthFigures(
                transactions=kpis.transactions,
                completed=int(kpis.completion_rate.numerator),
                started=int(kpis.completion_rate.denominator),
                satisfied=int(kpis.satisfied.numerator),
                responses=int(kpis.satisfied.denominator),
                cost_per_transaction=kpis.cost_per_transaction,
            )
    return {slug: [found[slug][p] for p in periods] for slug, periods in by_service.items()}


def publish(*, today: date | None = None) -> list[Outcome]:
    """Make or refresh the performance dataset of every live service with a whole month of
    figures (the months up to the last that has ended), and mark those of services no
    longer live."""
    today = today or timezone.localdate()
    last = Period.containing("month", today).previous()
    live = services.definitions()
    by_service = months(sorted(live), last)
    monthly = figures(by_service)
    outcomes = [
        _publish_one(live[slug], periods, monthly[slug])
        for slug, periods in sorted(by_service.items())
    ]
    return outcomes + _mark_ended(set(live))


def _organisation(definition: services.Definition) -> Organisation:
    owner = definition.organisation
    return Organisation.objects.get(
        pk=organisation_id(owner.id, owner.name.en, owner.name.cy or "")
    )


def _fields(
    definition: services.Definition, organisation: Organisation, periods: list[Period]
) -> dict[str, Any]:
    """The dataset's fields that Porth makes."""
    name, org = definition.name, definition.organisation.name
    title_en, title_cy = words.title(name.en, name.get("cy"))
    notes_en, notes_cy = words.notes(
        words.About(
            name.en,
            name.get("cy"),
            org.en,
            org.get("cy"),
            settings.PORTH_OPENDATA_SUPPRESS_BELOW,
            settings.PORTH_OPENDATA_REFRESH_HOURS,
        )
    )
    return {
        "title": title_en,
        "title_cy": title_cy,
        "notes": notes_en,
        "notes_cy": notes_cy,
        "organisation_id": organisation.pk,
        "license_id": DEFAULT_LICENCE,
        "frequency": "MONTHLY",
        "temporal_start": periods[0].start,
        "temporal_end": periods[-1].end,
        "url": links.absolute(reverse("start", kwargs={"slug": definition.slug})),
    }


def _free_name(slug: str) -> str:
    """`<slug>-performance`, or with a number after it if a publisher has taken that."""
    name, n = f"{slug}-performance", 1
    while Dataset.objects.filter(name=name).exists():
        n += 1
        name = f"{slug}-performance-{n}"
    return name


def _set(dataset: Dataset, values: dict[str, Any]) -> list[str]:
    """Set the fields that differ; their names."""
    changed = []
    for key, value in values.items():
        if getattr(dataset, key) != value:
            setattr(dataset, key, value)
            changed.append(key)
    return changed


def _set_relations(dataset: Dataset, *, new: bool) -> list[str]:
    changed = []
    if new or set(dataset.tags.values_list("name", flat=True)) != set(TAGS):
        dataset.tags.set([Tag.objects.get_or_create(name=name)[0] for name in TAGS])
        changed.append("tags")
    if new or list(dataset.themes.values_list("name", flat=True)) != [THEME]:
        dataset.themes.set(Theme.objects.filter(name=THEME))
        changed.append("themes")
    return changed


def _keep_file(
    dataset: Dataset,
    key: str,
    *,
    position: int,
    filename: str,
    body: bytes,
    text: tuple[str, str, str, str],
    format: str,
    mimetype: str,
    saved: list[str],
) -> tuple[Resource, bool]:
    """The generated resource `key` of the dataset, holding `body`: its file replaced only
    when the bytes differ (the new file's name added to `saved`). Whether anything changed."""
    found = dataset.resources.filter(generated=key).first()
    resource = found or Resource(dataset=dataset, generated=key, position=position)
    name_en, name_cy, about_en, about_cy = text
    changed = found is None
    for attribute, value in (
        ("name", name_en),
        ("name_cy", name_cy),
        ("description", about_en),
        ("description_cy", about_cy),
        ("format", format),
        ("mimetype", mimetype),
        ("url", ""),
    ):
        if getattr(resource, attribute) != value:
            setattr(resource, attribute, value)
            changed = True
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    stored = resource.upload.name if resource.upload else ""
    storage = resource.upload.storage
    if (
        digest != resource.hash
        or not stored
        or stored.rsplit("/", 1)[-1] != filename
        or not storage.exists(stored)  # lost (a media folder not restored): made again
    ):
        # A folder of its own for each version: the file keeps its name (its download
        # address ends with it) and readers get the old one until the new row commits.
        path = upload_to(resource, f"{uuid.uuid4().hex[:12]}/{filename}")
        resource.upload = storage.save(path, ContentFile(body), max_length=500)
        saved.append(resource.upload.name or "")
        resource.size = len(body)
        resource.hash = digest
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
        changed = True
    if changed:
        resource.save()
    return resource, changed


def _publish_one(
    definition: services.Definition,
    periods: list[Period],
    monthly: list[disclosure.MonthFigures],
) -> Outcome:
    slug = definition.slug
    threshold = settings.PORTH_OPENDATA_SUPPRESS_BELOW
    organisation = _organisation(definition)
    values = _fields(definition, organisation, periods)
    rows = [
        {"month": period.start.strftime("%Y-%m"), **disclosure.row(month, threshold)}
        for period, month in zip(periods, monthly, strict=True)
    ]
    with (
        uploads.discarded_on_failure(default_storage) as saved,
        transaction.atomic(),
    ):
        CatalogueVersion.lock()
        dataset = Dataset.objects.select_for_update().filter(service=slug).first()
        new = dataset is None
        if dataset is None:
            dataset = Dataset(name=_free_name(slug), service=slug, **values)
            dataset.save()
            changed = []
        elif dataset.state == State.DELETED:
            return Outcome(slug, dataset.name, "skipped")
        else:
            changed = _set(dataset, values)
        changed += _set_relations(dataset, new=new)
        filename = f"{dataset.name}.csv"
        csv_resource, csv_changed = _keep_file(
            dataset,
            CSV_KEY,
            position=0,
            filename=filename,
            body=csvw.table(rows),
            text=words.CSV_FILE,
            format="CSV",
            mimetype="text/csv",
            saved=saved,
        )
        terms = licence(DEFAULT_LICENCE)
        dictionary = csvw.metadata(
            csv_url=links.absolute(links.download_path(csv_resource, dataset)),
            title=(values["title"], values["title_cy"]),
            description=words.rules(threshold),
            publisher=organisation.name,
            licence_url=terms.url if terms else "",
            threshold=threshold,
        )
        _, csvw_changed = _keep_file(
            dataset,
            CSVW_KEY,
            position=1,
            filename=f"{filename}-metadata.json",
            body=dictionary,
            text=words.CSVW_FILE,
            format="JSON",
            mimetype="application/csvm+json",
            saved=saved,
        )
        files = [key for key, did in ((CSV_KEY, csv_changed), (CSVW_KEY, csvw_changed)) if did]
        if not new and not changed and not files:
            return Outcome(slug, dataset.name, "unchanged")
        dataset.save()  # `modified`: now
        action = "dataset_created" if new else "dataset_updated"
        record(
            f"opendata.{action}",
            actor=None,
            unsigned_label="system",
            organisation=organisation,
            obj=dataset,
            data={
                "name": dataset.name,
                "service": slug,
                "by": BY,
                "changed": sorted(changed),
                "files": files,
            },
        )
    return Outcome(slug, dataset.name, "created" if new else "updated", sorted(changed) + files)


def _mark_ended(live: set[str]) -> list[Outcome]:
    """Datasets of services no longer live: said so in their description, once."""
    outcomes = []
    ended = (
        Dataset.objects.exclude(service="").exclude(service__in=live).exclude(state=State.DELETED)
    )
    for pk in ended.values_list("pk", flat=True):
        with transaction.atomic():
            CatalogueVersion.lock()
            dataset = Dataset.objects.select_for_update().get(pk=pk)
            if dataset.notes.startswith(words.ENDED[0]):
                continue
            changed = _set(
                dataset,
                {
                    "notes": words.ENDED[0] + dataset.notes,
                    "notes_cy": words.ENDED[1] + dataset.notes_cy,
                    "frequency": "NEVER",
                    "url": "",  # its start page is gone
                },
            )
            dataset.save()
            record(
                "opendata.dataset_updated",
                actor=None,
                unsigned_label="system",
                organisation=dataset.organisation,
                obj=dataset,
                data={
                    "name": dataset.name,
                    "service": dataset.service,
                    "by": BY,
                    "changed": changed,
                    "ended": True,
                },
            )
        outcomes.append(Outcome(dataset.service, dataset.name, "ended", changed))
    return outcomes
