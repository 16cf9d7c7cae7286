"""Checks on an uploaded file before it is kept: its size, and that it is what its name says
(a CSV that reads as UTF-8 text in rows, JSON that parses, an XLSX that is an Office Open XML
workbook). A file that fails is refused with a message saying which check, and why."""

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

import orjson
from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile

from .vocabularies import UPLOAD_FORMATS

# How much of a CSV is read to check it: enough for many rows, bounded for a 50 MB file.
_SNIFF_BYTES = 1024 * 1024


class Refused(ValueError):
    """Why an upload was refused, in words for the person who sent it."""


@dataclass(frozen=True)
class Checked:
    format: str
    mimetype: str
    size: int
    hash: str  # sha256:<hex>


@contextmanager
def discarded_on_failure(storage: Storage) -> Iterator[list[str]]:
    """Names of files saved in the block (append them) are deleted if it raises: put the
    transaction inside it, so that a change rolled back leaves no file without its row."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            storage.delete(name)
        raise


def _digest(upload: UploadedFile) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return "sha256:" + sha.hexdigest()


def _head(upload: UploadedFile, limit: int) -> bytes:
    upload.seek(0)
    data = upload.read(limit)
    upload.seek(0)
    return data


def _check_csv(upload: UploadedFile) -> None:
    head = _head(upload, _SNIFF_BYTES)
    if b"\x00" in head:
        raise Refused("The file is not a CSV: it holds binary data")
    # An incremental decoder: a file longer than what is read may be cut inside a character.
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(head, final=len(head) < _SNIFF_BYTES)
    except UnicodeDecodeError as error:
        raise Refused("The CSV must be saved as UTF-8 text") from error
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise Refused("The CSV is empty: its first row must name the columns")


def _check_json(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        orjson.loads(upload.read())
    except orjson.JSONDecodeError as error:
        raise Refused(f"The file is not valid JSON: {error}") from error
    finally:
        upload.seek(0)


def _check_xlsx(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise Refused("The file is not an Excel workbook (.xlsx)") from error
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused("The file is not an Excel workbook (.xlsx)")


_CHECKS = {"CSV": _check_csv, "JSON": _check_json, "XLSX": _check_xlsx}


def check(upload: UploadedFile, declared_format: str = "") -> Checked:
    """The format (from the file's extension, which must agree with a declared format),
    media type, size and hash of an upload Porth will keep; or `Refused`."""
    limit = settings.PORTH_OPENDATA_MAX_UPLOAD_BYTES
    size = upload.size or 0
    if size == 0:
        raise Refused("The file is empty")
    if size > limit:
        raise Refused(f"The file must be smaller than {limit // (1024 * 1024)} MB")
    suffix = PurePath(upload.name or "").suffix.lower()
    found = next((fmt for fmt, (suffixes, _) in UPLOAD_FORMATS.items() if suffix in suffixes), None)
    if found is None:
        allowed = ", ".join(UPLOAD_FORMATS)
        raise Refused(f"The file must be a {allowed} file")
    declared = declared_format.strip().upper().lstrip(".")
    if declared and declared != found:
        raise Refused(f"The file is named as {found} but the format given is {declared}")
    _CHECKS[found](upload)
    return Checked(found, UPLOAD_FORMATS[found][1], size, _digest(upload))
