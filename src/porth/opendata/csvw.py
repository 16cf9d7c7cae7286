"""The performance datasets' files: the monthly CSV and its data dictionary, as W3C CSV on the
Web metadata (https://www.w3.org/TR/tabular-metadata/).

The CSV's header holds the columns' names; the metadata describes each (titles in English and
Welsh, a description, a datatype) and declares the markers of withheld and missing figures as
`null`, so that a CSVW processor reads them as empty cells rather than as bad numbers. The
metadata names the CSV it describes by its `url`, as CSVW locates a table from its metadata;
its file is called `<csv file>-metadata.json`, the name CSVW looks for next to a CSV.

Both are bytes made the same way every time from the same figures (no dates of making in
them), so that a refresh can tell by their hash whether anything changed.
"""

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .disclosure import NOT_AVAILABLE, WITHHELD

CONTEXT = "http://www.w3.org/ns/csvw"


@dataclass(frozen=True)
class Column:
    name: str
    en: str
    cy: str
    about_en: str
    about_cy: str
    datatype: str | dict[str, Any]


_COUNT = {"base": "nonNegativeInteger"}
_SHARE = {"base": "decimal", "minInclusive": 0, "maxInclusive": 1}
_WITHHELD_EN = " Withheld ([c]) when under {threshold}."
_WITHHELD_CY = " Wedi'i ddal yn ôl ([c]) pan fydd o dan {threshold}."


def _channel(name: str, en: str, cy: str, how_en: str, how_cy: str) -> Column:
    return Column(
        f"transactions_{name}",
        f"Transactions {en}",
        f"Trafodion {cy}",
        f"Applications sent in the month {how_en}." + _WITHHELD_EN,
        f"Ceisiadau a anfonwyd yn ystod y mis {how_cy}." + _WITHHELD_CY,
        _COUNT,
    )


COLUMNS: list[Column] = [
    Column(
        "month",
        "Month",
        "Mis",
        "The calendar month (UK time), as year and month.",
        "Y mis calendr (amser y DU), fel blwyddyn a mis.",
        "gYearMonth",
    ),
    _channel("online", "online", "ar-lein", "online", "ar-lein"),
    _channel(
        "assisted",
        "with assisted digital support",
        "gyda chymorth digidol",
        "online with the help of staff (assisted digital)",
        "ar-lein gyda help staff (cymorth digidol)",
    ),
    _channel("phone", "by phone", "dros y ffôn", "by phone", "dros y ffôn"),
    _channel("paper", "on paper", "ar bapur", "on paper", "ar bapur"),
    Column(
        "transactions_total",
        "Transactions, all channels",
        "Trafodion, pob sianel",
        "Applications sent in the month by any channel (completed transactions)." + _WITHHELD_EN,
        "Ceisiadau a anfonwyd yn ystod y mis drwy unrhyw sianel (trafodion a gwblhawyd)."
        + _WITHHELD_CY,
        _COUNT,
    ),
    Column(
        "completion_rate",
        "Completion rate",
        "Cyfradd cwblhau",
        "Transactions completed in the month divided by those started in it, as a fraction. "
        "It can be above 1 when people finish in a month what they started in the month "
        "before. Withheld ([c]) when either number is under {threshold}.",
        "Y trafodion a gwblhawyd yn ystod y mis wedi'u rhannu â'r rhai a ddechreuwyd ynddo, "
        "fel ffracsiwn. Gall fod yn uwch nag 1 pan fydd pobl yn gorffen mewn mis yr hyn a "
        "ddechreuon nhw yn y mis cynt. Wedi'i dal yn ôl ([c]) pan fydd y naill rif neu'r "
        "llall o dan {threshold}.",
        {"base": "decimal", "minInclusive": 0},
    ),
    Column(
        "digital_take_up",
        "Digital take-up",
        "Defnydd digidol",
        "The share of transactions made online, with or without help (online and assisted "
        "digital over all channels), as a fraction. Withheld ([c]) when either number is "
        "under {threshold}, or when it could be used to work out a withheld count.",
        "Cyfran y trafodion a wnaed ar-lein, gyda help neu heb help (ar-lein a chymorth "
        "digidol dros bob sianel), fel ffracsiwn. Wedi'i ddal yn ôl ([c]) pan fydd y naill "
        "rif neu'r llall o dan {threshold}, neu pan ellid ei ddefnyddio i gyfrifo nifer a "
        "ddaliwyd yn ôl.",
        _SHARE,
    ),
    Column(
        "user_satisfaction",
        "User satisfaction",
        "Boddhad defnyddwyr",
        "The share of people answering the satisfaction question after sending who were "
        "satisfied or very satisfied, as a fraction. Withheld ([c]) when either number is "
        "under {threshold}.",
        "Cyfran y bobl a atebodd y cwestiwn boddhad ar ôl anfon a oedd yn fodlon neu'n "
        "fodlon iawn, fel ffracsiwn. Wedi'i ddal yn ôl ([c]) pan fydd y naill rif neu'r "
        "llall o dan {threshold}.",
        _SHARE,
    ),
    Column(
        "satisfaction_responses",
        "Satisfaction responses",
        "Ymatebion boddhad",
        "How many people answered the satisfaction question in the month." + _WITHHELD_EN,
        "Faint o bobl a atebodd y cwestiwn boddhad yn ystod y mis." + _WITHHELD_CY,
        _COUNT,
    ),
    Column(
        "cost_per_transaction",
        "Cost per transaction (£)",
        "Cost fesul trafodiad (£)",
        "What the service cost in the month divided by its transactions, in pounds: the "
        "costs its team entered, else each channel's cost per transaction. Withheld ([c]) "
        "when the transactions are under {threshold} or any channel's count is withheld; "
        "not available ([x]) when no cost is known.",
        "Cost y gwasanaeth yn ystod y mis wedi'i rhannu â'i drafodion, mewn punnoedd: y "
        "costau a gofnododd ei dîm, neu fel arall cost pob sianel fesul trafodiad. Wedi'i "
        "dal yn ôl ([c]) pan fydd y trafodion o dan {threshold} neu pan ddelir nifer "
        "unrhyw sianel yn ôl; nid yw ar gael ([x]) pan nad oes cost yn hysbys.",
        {"base": "decimal", "minInclusive": 0},
    ),
]
NAMES = [column.name for column in COLUMNS]


def table(rows: Iterable[Mapping[str, str]]) -> bytes:
    """The CSV: a header of the columns' names, then the rows (RFC 4180, UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(NAMES)
    for values in rows:
        writer.writerow([values[name] for name in NAMES])
    return out.getvalue().encode()


def _both(en: str, cy: str) -> list[dict[str, str]]:
    return [{"@value": en, "@language": "en"}, {"@value": cy, "@language": "cy"}]


def metadata(
    *,
    csv_url: str,
    title: tuple[str, str],
    description: tuple[str, str],
    publisher: str,
    licence_url: str,
    threshold: int,
) -> bytes:
    """The CSVW metadata of the CSV at `csv_url`: `title` and `description` in (English,
    Welsh); the description should say how figures are withheld."""

    def column(c: Column) -> dict[str, Any]:
        return {
            "name": c.name,
            # The header's own words ("und": any language) match the CSV, as a CSVW validator
            # checks; English and Welsh titles are for people.
            "titles": {"und": c.name, "en": c.en, "cy": c.cy},
            "dc:description": _both(
                c.about_en.format(threshold=threshold), c.about_cy.format(threshold=threshold)
            ),
            "datatype": c.datatype,
            "required": c.name == "month",
        }

    document = {
        "@context": [CONTEXT, {"@language": "en"}],
        "url": csv_url,
        "dc:title": _both(*title),
        "dc:description": _both(*description),
        "dc:publisher": publisher,
        "dc:license": {"@id": licence_url},
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {
            "columns": [column(c) for c in COLUMNS],
            "primaryKey": "month",
            # Withheld and not-available figures are empty cells to a CSVW processor.
            "null": [WITHHELD, NOT_AVAILABLE],
        },
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
