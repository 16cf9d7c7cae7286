"""Retention: personal data kept no longer than each service's definition says.

Every day (a periodic task) and on demand (`porth retention`, `--dry-run` to see first):
- a service's submissions sent longer ago than its `retention` period (an ISO 8601
  duration, counted on the calendar back from now) lose their answers, and their cases
  their name index and timeline details; its notifications older than that, or about a case
  so erased, lose their address and text. A service without a retention period keeps
  everything;
- journeys never sent and left idle past PORTH_JOURNEY_IDLE_DAYS are deleted;
- performance data's raw events older than PORTH_ANALYTICS_RAW_DAYS (once rolled up: the
  rollups are kept), and its per-journey progress once no longer needed, are deleted.

What stays (references, services, statuses, channels, dates) holds nothing personal and is
kept for statistics. Each app erases its own data (its `service` module); this module picks
the rows, a batch at a time (each batch one transaction with its audit entry: what, when and
how many, never the data), so a run interrupted keeps what it did and the next carries on.
Erasing twice is harmless: rows erased already are neither found nor counted again.

It ties several apps together, so it sits with the project's own modules (conf, urls, cli)
above every app in the import-linter layers, rather than in one of the apps it erases.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from porth.accounts.models import Organisation
from porth.accounts.service import organisation_id
from porth.analytics import service as analytics
from porth.audit import service as audit
from porth.background.service import periodic
from porth.casework import service as casework
from porth.notifications import service as notifications
from porth.services import service as services
from porth.services.models import DefinitionVersion
from porth.services.service import Definition, durations
from porth.submissions import service as submissions

BATCH = 500  # submissions, notifications or journeys per transaction: short locks, bounded memory


@dataclass
class ServiceReport:
    """What a run erased (or a dry run would erase) of one service."""

    service: str
    retention: str | None  # None: kept
    before: datetime | None  # erased: what is older than this
    counts: Counter[str] = field(default_factory=Counter)
    note: str = ""  # why a service's data is kept, or where its retention came from


@dataclass
class Report:
    at: datetime
    dry_run: bool
    services: list[ServiceReport]
    journeys_idle_before: datetime
    journeys: Counter[str]  # abandoned journeys, by service
    analytics: Counter[str] = field(default_factory=Counter)  # raw events, journey progress


def cutoff(retention: str, now: datetime) -> datetime:
    """The moment `retention` before `now`, on the local calendar (as SLAs are counted):
    what is older is erased."""
    return durations.add(timezone.localtime(now), f"-{retention}")


def _definitions() -> dict[str, tuple[Definition, str]]:
    """Every service that has had a definition, and its definition: the loaded one, or for a
    service no longer loaded, the last version stored (its data is still under its retention)."""
    found = {slug: (definition, "") for slug, definition in services.definitions().items()}
    latest: dict[str, DefinitionVersion] = {}
    for row in DefinitionVersion.objects.exclude(slug__in=list(found)).defer("canonical"):
        if row.slug not in latest or row.created_at > latest[row.slug].created_at:
            latest[row.slug] = row
    for slug, row in latest.items():
        definition = services.stored_definition(slug, row.version, row.pk)
        found[slug] = (definition, "no longer loaded: the retention of its last version")
    return dict(sorted(found.items()))


def plan(now: datetime | None = None) -> Report:
    """What `run` would erase now: counted, nothing changed (`porth retention --dry-run`)."""
    now = now or timezone.now()
    reports = []
    for slug, (definition, note) in _definitions().items():
        if not definition.retention:
            reports.append(ServiceReport(slug, None, None, note="no retention period: kept"))
            continue
        before = cutoff(definition.retention, now)
        due = submissions.to_erase(slug, before)
        counts = Counter(submissions.count_submissions(due))
        counts.update(casework.count_cases(due))
        counts.update(notifications.count_notifications(slug, before))
        reports.append(ServiceReport(slug, definition.retention, before, counts, note))
    idle_before = submissions.journeys_idle_before(now)
    journeys = Counter(submissions.count_abandoned_journeys(now))
    return Report(now, True, reports, idle_before, journeys, Counter(analytics.count_due(now)))


def run(
    now: datetime | None = None, *, by: str = "porth retention", batch_size: int = BATCH
) -> Report:
    """Erase what is due now, a batch at a time; `by` (who or what ran it) goes in the
    audit log."""
    now = now or timezone.now()
    reports = []
    for slug, (definition, note) in _definitions().items():
        if not definition.retention:
            reports.append(ServiceReport(slug, None, None, note="no retention period: kept"))
            continue
        before = cutoff(definition.retention, now)
        counts = _erase_service(definition, before, now, by=by, batch_size=batch_size)
        reports.append(ServiceReport(slug, definition.retention, before, counts, note))
    journeys = _erase_abandoned(now, by=by, batch_size=batch_size)
    pruned = Counter(analytics.prune(now))
    if any(pruned.values()):
        # No personal data (analytics keeps none), but a team should see what went and when.
        audit.record(
            "retention.analytics_pruned",
            organisation=None,
            data={
                "raw_days": settings.PORTH_ANALYTICS_RAW_DAYS,
                "by": by,
                **{k.replace(" ", "_"): n for k, n in pruned.items()},
            },
        )
    return Report(now, False, reports, submissions.journeys_idle_before(now), journeys, pruned)


def _organisation(definition: Definition) -> Organisation:
    owner = definition.organisation  # its auditors see the entries
    return Organisation(pk=organisation_id(owner.id, owner.name.en, owner.name.cy or ""))


def _erase_service(
    definition: Definition, before: datetime, now: datetime, *, by: str, batch_size: int
) -> Counter[str]:
    """Erase the service's submissions (with their cases), then its notifications."""
    slug = definition.slug
    about = {"service": slug, "retention": definition.retention, "before": before.isoformat()}
    organisation = _organisation(definition)

    def batches(
        kind: str,
        find: Callable[[], Sequence[int]],
        erase: Callable[[Sequence[int]], dict[str, int]],
    ) -> Counter[str]:
        erased: Counter[str] = Counter()
        while True:
            with transaction.atomic():
                ids = find()
                counts = erase(ids) if ids else {}
                if counts.get(kind):
                    audit.record(
                        "retention.erased",
                        organisation=organisation,
                        data=about
                        | {"by": by}
                        | {k.replace(" ", "_"): n for k, n in counts.items()},
                    )
            erased.update(counts)
            # None left; or those found were erased meanwhile by another run, which goes on.
            if not counts.get(kind):
                return erased

    erased = batches(
        "submissions",
        lambda: submissions.next_to_erase(slug, before, batch_size),
        lambda ids: submissions.erase_submissions(ids, at=now) | casework.erase_cases(ids, at=now),
    )
    erased.update(
        batches(
            "notifications",
            lambda: notifications.next_to_erase(slug, before, batch_size),
            lambda ids: notifications.erase_notifications(ids, at=now),
        )
    )
    return erased


def _erase_abandoned(now: datetime, *, by: str, batch_size: int) -> Counter[str]:
    erased: Counter[str] = Counter()
    defined = services.definitions()
    after = ""
    while ids := submissions.next_abandoned_journeys(now, batch_size, after=after):
        after = ids[-1]
        with transaction.atomic(), audit.batch():
            by_service = submissions.erase_abandoned_journeys(ids, now=now)
            for slug, count in sorted(by_service.items()):
                definition = defined.get(slug)
                audit.record(
                    "retention.journeys_erased",
                    organisation=_organisation(definition) if definition else None,
                    data={
                        "service": slug,
                        "reason": "abandoned",
                        "idle_days": settings.PORTH_JOURNEY_IDLE_DAYS,
                        "before": submissions.journeys_idle_before(now).isoformat(),
                        "journeys": count,
                        "by": by,
                    },
                )
        erased.update(by_service)
    return erased


# --- What a run says ---------------------------------------------------------------------

ORDER = ["submissions", "sent journeys", "cases", "case events", "notifications"]


def describe(report: Report) -> str:
    """The report in plain English, a service a line (the command prints it)."""
    verb = "would be erased" if report.dry_run else "erased"
    when = timezone.localtime(report.at).strftime("%-d %B %Y %H:%M")
    lines = [
        f"Retention at {when}" + (": a dry run, nothing is changed." if report.dry_run else ".")
    ]
    for item in report.services:
        if item.before is None:
            lines.append(f"{item.service}: {item.note}")
            continue
        before = timezone.localtime(item.before).strftime("%-d %B %Y %H:%M")
        named = f"{item.service} (retention {item.retention}" + (
            f", {item.note})" if item.note else ")"
        )
        lines.append(f"{named}: older than {before} {verb}: {_counts(item.counts)}")
        if item.counts["open cases"]:
            lines.append(
                f"  {item.counts['open cases']} of those cases are still open: "
                "their answers go all the same"
            )
    idle = timezone.localtime(report.journeys_idle_before).strftime("%-d %B %Y %H:%M")
    total = sum(report.journeys.values())
    lines.append(f"Abandoned journeys (idle since before {idle}) {verb}: {total}")
    lines += [f"  {slug}: {count}" for slug, count in sorted(report.journeys.items())]
    lines.append(
        f"Performance data (raw events older than {settings.PORTH_ANALYTICS_RAW_DAYS:g} days, "
        f"once counted) {verb}: events {report.analytics['analytics events']}, "
        f"journey progress {report.analytics['journey progress']}"
    )
    return "\n".join(lines)


def _counts(counts: Counter[str]) -> str:
    """Each kind's count: the usual kinds always, any other kind (a model an app added)
    after them."""
    names = ORDER + sorted(set(counts) - set(ORDER) - {"open cases"})
    return ", ".join(f"{name} {counts[name]}" for name in names)


# --- The daily task ----------------------------------------------------------------------


@task()
def erase_due() -> dict[str, int]:
    """The periodic task: erase what is due; returns how many rows of each kind."""
    report = run(by="the daily retention task")
    totals: Counter[str] = Counter()
    for item in report.services:
        totals.update(item.counts)
    totals["abandoned journeys"] = sum(report.journeys.values())
    totals.update(report.analytics)
    return dict(totals)


def register() -> None:
    """Run `erase_due` every day (called from the project's AppConfig.ready())."""
    periodic("retention.erase", every=timedelta(days=1), task=erase_due)
