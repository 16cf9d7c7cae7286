"""Keep the Welsh translation of every platform string complete (`porth messages`).

Extracts gettext strings from the Python code and the Jinja templates with Babel, merges
them into ``locale/cy/LC_MESSAGES/django.po`` (keeping what is translated), and compiles
``django.mo``. With ``check=True`` it changes nothing and fails if any string has no Welsh
or the compiled file is stale — the test suite runs it that way.
"""

import io
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
PO = PACKAGE / "locale" / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "gettext_lazy": None}


def extract() -> "object":
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="Porth", locale="cy", fuzzy=False)
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n,jinja2.ext.do"}}
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map, options, keywords=KEYWORDS
    ):
        if "/tests/" in f"/{filename}" or "migrations" in filename:
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update_catalogue(*, check: bool = False) -> int:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    template = extract()
    existing = read_po(PO.open("rb"), locale="cy") if PO.exists() else None
    if existing is None:
        from babel.messages.catalog import Catalog

        existing = Catalog(locale="cy")
    existing.update(template, no_fuzzy_matching=True)  # type: ignore[arg-type]
    missing = [m.id for m in existing if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    mo = io.BytesIO()
    write_mo(mo, existing)
    if check:
        problems = [f"no Welsh for: {m!r}" for m in missing]
        if not MO.exists() or MO.read_bytes() != mo.getvalue():
            problems.append(f"{MO} is stale: run `porth messages`")
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as out:
        write_po(out, existing, omit_header=False, sort_output=True, include_previous=False,
                 width=100, no_location=True)
    MO.write_bytes(mo.getvalue())
    print(f"{len(existing)} messages, {len(missing)} without Welsh; wrote {PO.name} and {MO.name}")
    return 1 if missing else 0
