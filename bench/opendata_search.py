"""`python -m bench opendata`: package_search at 10,000 datasets.

Fills a fresh database — PostgreSQL `porth_bench_opendata_search` (created and dropped) and
SQLite in a temporary folder — with 10,000 datasets of 40 organisations (words in English and
Welsh, 1 to 4 tags of 300, themes, 1 to 3 resources each, a few private or drafts), then times
typical package_search calls: no words; a word; a word and a filter; facets on the five
fields; rows 10 and 100. Prints p50 and p95 (target on PostgreSQL: p95 ≤ 50 ms).

The measured call is a GET of /api/3/action/package_search through Django's test client:
CKAN's parameters in, the whole answer out (the API's parameter reading, search.search, a
package dict for each result, JSON), without the HTTP server. Each database runs in a child process, so
that Django is set up once per database.
"""

import functools
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import children
from .report import percentile, table, verdict

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "porth_bench_opendata_search"
DATASETS = 10_000
RUNS = 100
TARGET_MS = 50.0
FACETS = '["organization", "groups", "tags", "res_format", "license_id"]'
# (label, parameters); "{word}" takes each of WORDS in turn, "{org}" an organisation.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("no q, rows 10", {}),
    ("a word, rows 10", {"q": "{word}"}),
    ("a word + fq organization", {"q": "{word}", "fq": "organization:{org}"}),
    ("two words", {"q": "{word} {word2}"}),
    ("fq tags + res_format", {"fq": 'tags:"{tag}" res_format:CSV'}),
    ("facets on 5 fields, no q", {"facet.field": FACETS}),
    ("a word + facets on 5 fields", {"q": "{word}", "facet.field": FACETS}),
    ("no q, rows 100", {"rows": "100"}),
    ("a word, rows 100", {"q": "{word}", "rows": "100"}),
    ("sort name asc, start 5000", {"sort": "name asc", "start": "5000"}),
]


def _vocabulary(text: str) -> list[str]:
    return text.split()


TOPICS = _vocabulary(
    "road traffic accidents potholes parking permits bus routes cycling school places "
    "admissions attendance library loans visits recycling waste bins collections fly-tipping "
    "housing repairs homelessness council tax benefits planning applications licensing "
    "food hygiene inspections air quality noise complaints flooding trees parks allotments "
    "births deaths marriages elections voters spending contracts salaries grants tourism "
    "museums leisure centres swimming pools social care adoption fostering libraries"
)
WELSH = _vocabulary(
    "ffyrdd ysgolion llyfrgelloedd gwastraff ailgylchu tai cynllunio trethi etholiadau "
    "parciau amgueddfeydd gofal cymdeithasol nofio twristiaeth llifogydd"
)
FILLER = _vocabulary(
    "monthly quarterly annual figures counts by ward area published updated data source "
    "includes excludes records reported total number of each per the and for in"
)
WORDS = ["parking", "recycling", "libraries", "housing", "flooding", "museums", "ysgolion"]


def run(*, on_postgres: bool = True, datasets: int = DATASETS) -> list[str]:
    """The bench on PostgreSQL (if it answers) and SQLite; returns errors."""
    print(f"\n== Open data: package_search at {datasets:,} datasets ({RUNS} runs each) ==")
    errors: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="porth-bench-opendata-"))
    targets = children.databases(folder, "opendata.sqlite3", PG_DB, on_postgres=on_postgres)
    rows: list[list[str]] = []
    try:
        for label, database in targets:
            with database as url:
                done = subprocess.run(
                    [sys.executable, "-m", "bench.opendata_search", "--child", str(datasets)],
                    env=children.environment(url),
                    cwd=ROOT,
                    timeout=1800,
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    errors.append(f"opendata search on {label}: {done.stderr[-800:]}")
                    continue
                for line in done.stdout.splitlines():
                    if line.startswith("row\t"):
                        name, p50, p95, extra = line.split("\t")[1:]
                        target = f"≤ {TARGET_MS:.0f} ms" if label == "PostgreSQL" else ""
                        ok = verdict(float(p95) <= TARGET_MS) if target else ""
                        rows.append([label, name, extra, f"{p50} ms", f"{p95} ms", target, ok])
                    elif line.startswith("info\t"):
                        print(f"{label}: {line.split(chr(9), 1)[1]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(table(["database", "package_search", "found", "p50", "p95", "target", ""], rows))
    return errors


# --- In the child process, with Django set up on the bench database ---------------------------


@functools.cache
def _client() -> Any:
    """One test client for every call, as a server loads its middleware once: a new Client
    loads it again on its first request (in the test settings, WhiteNoise then walks every
    static file), which a live server never does per request."""
    from django.test import Client

    return Client()


def package_search(params: dict[str, str]) -> bytes:
    """GET /api/3/action/package_search with `params`, through the whole Django stack (the
    API's middleware, parameter reading, search, package dicts, JSON): the call that is
    timed."""
    response = _client().get("/api/3/action/package_search", params, headers={"host": "127.0.0.1"})
    if response.status_code != 200:
        raise RuntimeError(f"package_search {params}: {response.status_code} {response.content!r}")
    return response.content


def _fill(count: int) -> None:
    """`count` datasets, their tags, themes and resources, in bulk (the triggers index them)."""
    from django.db import connection

    from porth.accounts.models import Organisation
    from porth.opendata.models import Dataset, Resource, State, Tag, Theme

    rng = random.Random(20)
    organisations = [
        Organisation.objects.create(slug=f"council-{n}", name=f"Council {n}") for n in range(40)
    ]
    tags = Tag.objects.bulk_create(
        [Tag(name=f"{rng.choice(TOPICS)} {n}" if n >= 60 else TOPICS[n]) for n in range(300)]
    )
    themes = list(Theme.objects.all())

    def words(n: int, vocabulary: list[str]) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(n))

    made = []
    for n in range(count):
        topic = words(rng.randint(2, 4), TOPICS)
        made.append(
            Dataset(
                name=f"dataset-{n:05d}",
                title=f"{topic.capitalize()} {n}",
                title_cy=words(3, WELSH) if n % 3 == 0 else "",
                notes=f"{words(25, FILLER)} {words(3, TOPICS)} {words(10, FILLER)}.",
                notes_cy=words(20, WELSH) if n % 3 == 0 else "",
                organisation=rng.choice(organisations),
                license_id="OGL-UK-3.0" if n % 7 else "CC-BY-4.0",
                private=n % 50 == 0,
                state=State.DRAFT if n % 97 == 0 else State.ACTIVE,
            )
        )
    made = Dataset.objects.bulk_create(made, batch_size=500)
    Dataset.tags.through.objects.bulk_create(
        [
            Dataset.tags.through(dataset_id=d.pk, tag_id=tag.pk)
            for d in made
            for tag in rng.sample(tags, rng.randint(1, 4))
        ],
        batch_size=1000,
    )
    Dataset.themes.through.objects.bulk_create(
        [Dataset.themes.through(dataset_id=d.pk, theme_id=rng.choice(themes).pk) for d in made],
        batch_size=1000,
    )
    Resource.objects.bulk_create(
        [
            Resource(
                dataset=d,
                position=p,
                name=f"Data {p}",
                format=rng.choice(["CSV", "CSV", "JSON", "XLSX"]),
                url="https://data.example.gov.uk/file",
            )
            for d in made
            for p in range(rng.randint(1, 3))
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        # As autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) leave a live database:
        # statistics for the planner, and (PostgreSQL) the dead rows of the fill reclaimed.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _child(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    _fill(count)
    print(f"info\t{count:,} datasets made and indexed in {time.perf_counter() - began:.1f} s")
    rng = random.Random(7)
    for label, params in QUERIES:
        times: list[float] = []
        found = 0
        for run_number in range(RUNS + 10):
            filled = {
                key: value.format(
                    word=WORDS[run_number % len(WORDS)],
                    word2=rng.choice(TOPICS),
                    org=f"council-{run_number % 40}",
                    tag=TOPICS[run_number % 60],
                )
                for key, value in params.items()
            }
            began = time.perf_counter()
            answer = package_search(filled)
            elapsed = (time.perf_counter() - began) * 1000
            if run_number >= 10:  # the first few warm the caches
                times.append(elapsed)
                found += json.loads(answer)["result"]["count"]
        times.sort()
        p50, p95 = percentile(times, 50), percentile(times, 95)
        print(f"row\t{label}\t{p50:.1f}\t{p95:.1f}\t{found // RUNS:,}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]))
    else:
        raise SystemExit(run())
