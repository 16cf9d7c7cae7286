"""A page of an uploaded CSV, for the resource page's table.

The file is read as a stream, a row at a time, and reading stops one row past the page asked
for: page 2 of a 50 MB file costs 101 rows, not the file. So the number of pages is not known
(that would mean reading to the end); the table says whether there is a next page instead.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO

ROWS_PER_PAGE = 50
# A cell longer than this is cut in the preview (the download has it whole).
_MAX_CELL = 500
_MAX_COLUMNS = 100
# A number as people write them in tables (1,234 -12.5 7% £3.20), or a marker of a figure
# withheld or not available (the performance data's [c] and [x]): right-aligned as numbers.
_NUMBER = re.compile(r"^[-+]?[£$€]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?$")
_MARKER = re.compile(r"^\[[a-z]\]$")


class Unreadable(ValueError):
    """The file cannot be shown as a table (not CSV text, or a row csv cannot parse)."""


@dataclass(frozen=True)
class Preview:
    header: list[str]
    rows: list[list[str]]
    page: int
    first_row: int  # the number of the page's first data row, counting from 1
    has_next: bool
    numeric: list[bool]  # by column: right-align it (every filled cell a number or a marker)

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1


def _is_number(cell: str) -> bool:
    cell = cell.strip()
    return bool(cell) and any(c.isdigit() for c in cell) and bool(_NUMBER.match(cell))


def _numeric(rows: list[list[str]], width: int) -> list[bool]:
    columns = []
    for index in range(width):
        cells = [row[index].strip() for row in rows if index < len(row) and row[index].strip()]
        columns.append(bool(cells) and all(_MARKER.match(c) or _is_number(c) for c in cells))
    return columns


def _cut(row: list[str], width: int) -> list[str]:
    cells = [cell if len(cell) <= _MAX_CELL else cell[:_MAX_CELL] + "…" for cell in row[:width]]
    return cells + [""] * (width - len(cells))


def read_page(stream: IO[bytes], page: int, per_page: int = ROWS_PER_PAGE) -> Preview | None:
    """Page `page` (from 1) of the CSV in `stream`: its header and rows, or None when the
    file has no such page. Raises Unreadable when it is not a CSV that can be read."""
    if page < 1:
        return None
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    reader: Iterator[list[str]] = csv.reader(text)
    start = (page - 1) * per_page
    try:
        header = next(reader, None)
        if not header:
            raise Unreadable("The file has no header row")
        wanted = list(islice(reader, start, start + per_page + 1))
    except (csv.Error, UnicodeDecodeError) as error:
        raise Unreadable(str(error)) from error
    finally:
        text.detach()  # leave the stream to its owner to close
    if not wanted and page > 1:
        return None
    width = min(max([len(header), *(len(row) for row in wanted)]), _MAX_COLUMNS)
    rows = [_cut(row, width) for row in wanted[:per_page]]
    return Preview(
        header=_cut(header, width),
        rows=rows,
        page=page,
        first_row=start + 1,
        has_next=len(wanted) > per_page,
        numeric=_numeric(rows, width),
    )
