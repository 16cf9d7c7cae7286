"""Keep the Welsh translation of every platform string complete (`porth messages`).

Extracts gettext strings from the Python code and the Jinja templates with Babel, merges
them into ``locale/cy/LC_MESSAGES/django.po`` (keeping what is translated), and compiles
``django.mo``. With ``check=True`` it changes nothing and fails if any string has no Welsh
or the compiled file is stale — the test suite runs it that way.
"""

import io
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent
PO = PACKAGE / "locale" / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "gettext_lazy": None}


def extract() -> Any:
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="Porth", version="1", locale="cy", fuzzy=False)
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n,jinja2.ext.do"}}
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map, options, keywords=KEYWORDS
    ):
        if "/tests/" in f"/{filename}" or "migrations" in filename:
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _translated(text: str | tuple[str, ...]) -> bool:
    return all(text) if isinstance(text, tuple) else bool(text)


def _compile() -> tuple[object, bytes]:
    """The catalogue as committed, and the bytes of its compiled form."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with PO.open("rb") as source:
        catalog = read_po(source, locale="cy")
    mo = io.BytesIO()
    write_mo(mo, catalog)
    return catalog, mo.getvalue()


def update_catalogue(*, check: bool = False) -> int:
    from babel.messages.pofile import read_po, write_po

    template: Any = extract()
    wanted = {m.id for m in template if m.id}
    if check:
        catalog, compiled = _compile() if PO.exists() else (None, b"")
        have = {m.id: m.string for m in catalog if m.id} if catalog else {}  # type: ignore[attr-defined]
        problems = [f"not in {PO.name}: {m!r}" for m in sorted(wanted - have.keys(), key=str)]
        problems += [f"no Welsh for: {m!r}" for m, text in have.items() if not _translated(text)]
        if not MO.exists() or MO.read_bytes() != compiled:
            problems.append(f"{MO.name} is stale")
        for problem in problems:
            print(problem)
        if problems:
            print("Run `porth messages`, then translate what it lists.")
        return 1 if problems else 0
    if PO.exists():
        with PO.open("rb") as source:
            existing = read_po(source, locale="cy")
        # Keep the header stable, so an unchanged catalogue compiles to the same bytes.
        template.creation_date = existing.creation_date
    else:
        from babel.messages.catalog import Catalog

        existing = Catalog(project="Porth", version="1", locale="cy", fuzzy=False)
    existing.update(template, no_fuzzy_matching=True)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as out:
        write_po(
            out,
            existing,
            sort_output=True,
            include_previous=False,
            width=100,
            no_location=True,
            omit_header=False,
        )
    catalog, compiled = _compile()
    MO.write_bytes(compiled)
    missing = [m.id for m in catalog if m.id and not _translated(m.string)]  # type: ignore[attr-defined]
    print(f"{len(wanted)} messages, {len(missing)} without Welsh; wrote {PO.name} and {MO.name}")
    for message in missing:
        print(f"  no Welsh for: {message!r}")
    return 1 if missing else 0
