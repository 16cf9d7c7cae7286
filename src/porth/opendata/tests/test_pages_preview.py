"""The CSV preview reads only as far as the page it shows, and says which columns are numbers."""

import io

import pytest

from porth.opendata import preview


class CountingStream(io.BytesIO):
    """A file that remembers how far it was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.furthest = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return data

    def read1(self, size: int | None = -1) -> bytes:
        data = super().read1(size)
        self.furthest = max(self.furthest, self.tell())
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = super().readinto(buffer)
        self.furthest = max(self.furthest, self.tell())
        return count


def big_csv(rows: int) -> bytes:
    return b"id,name\n" + b"".join(b"%d,name %d\n" % (n, n) for n in range(1, rows + 1))


def test_the_second_page_of_a_big_file_reads_a_small_part_of_it() -> None:
    data = big_csv(100_000)  # about 1.5 MB
    stream = CountingStream(data)
    page = preview.read_page(stream, 2)
    assert page is not None
    assert page.rows[0] == ["51", "name 51"] and page.rows[-1] == ["100", "name 100"]
    assert page.first_row == 51 and page.last_row == 100 and page.has_next
    assert stream.furthest < 100_000 < len(data)


def test_the_last_page_has_no_next_and_a_page_past_it_is_none() -> None:
    data = big_csv(60)
    last = preview.read_page(io.BytesIO(data), 2)
    assert last is not None and len(last.rows) == 10 and not last.has_next
    assert preview.read_page(io.BytesIO(data), 3) is None
    assert preview.read_page(io.BytesIO(data), 0) is None


def test_a_file_of_only_a_header_is_one_empty_page() -> None:
    page = preview.read_page(io.BytesIO(b"a,b\n"), 1)
    assert page is not None and page.header == ["a", "b"] and page.rows == []


def test_numbers_and_withheld_markers_are_right_aligned_words_are_not() -> None:
    data = (
        "month,count,rate,note,withheld,empty\n"
        "2025-01,1,0.5,ok,[c],\n"
        "2025-02,[c],12%,fine,[c],\n"
        '2025-03,"1,234",,,[x],\n'
    )
    page = preview.read_page(io.BytesIO(data.encode()), 1)
    assert page is not None
    # A column of withheld figures only is still a column of numbers.
    assert page.numeric == [False, True, True, False, True, False]


def test_short_rows_are_padded_and_long_cells_cut() -> None:
    data = ("a,b,c\n1\n" + "x" * 2000 + ",2,3\n").encode()
    page = preview.read_page(io.BytesIO(data), 1)
    assert page is not None
    assert page.rows[0] == ["1", "", ""]
    assert len(page.rows[1][0]) == 501 and page.rows[1][0].endswith("…")


def test_a_byte_order_mark_is_not_part_of_the_first_column_name() -> None:
    page = preview.read_page(io.BytesIO("\ufeffmonth,count\n2025-01,3\n".encode()), 1)
    assert page is not None and page.header == ["month", "count"]


@pytest.mark.parametrize("data", [b"", b"a,b\n\xff\xfe\n", b'a,b\n"unclosed' + b"x" * 200_000])
def test_what_cannot_be_read_as_csv_is_unreadable(data: bytes) -> None:
    with pytest.raises(preview.Unreadable):
        preview.read_page(io.BytesIO(data), 1)
