"""Pages are sent gzipped to browsers that accept it, as Django's middleware would send them."""

import gzip
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from porth.fastpath.middleware import GZipMiddleware

PAGE = ("<p>One thing per page. " * 200).encode()


def _send(response: Any, accept: str = "gzip, deflate, br") -> Any:
    request = RequestFactory().get("/", headers={"accept-encoding": accept} if accept else {})

    def view(request: HttpRequest) -> HttpResponse:
        return response

    return GZipMiddleware(view)(request)


def test_a_page_is_compressed_and_reads_back_the_same() -> None:
    response = _send(HttpResponse(PAGE, headers={"ETag": '"abc"'}))
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == PAGE
    assert int(response.headers["Content-Length"]) == len(response.content) < len(PAGE) / 10
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["ETag"] == 'W/"abc"'  # no longer byte-for-byte the same


def test_the_compressed_length_varies_from_one_response_to_the_next() -> None:
    lengths = {len(_send(HttpResponse(PAGE)).content) for _ in range(20)}
    assert len(lengths) > 5  # random padding in the header: lengths give nothing away


def test_nothing_is_compressed_for_browsers_that_do_not_ask() -> None:
    for accept in ("", "identity", "br", "gzipped"):
        response = _send(HttpResponse(PAGE), accept)
        assert "Content-Encoding" not in response.headers
        assert response.content == PAGE
        assert "Accept-Encoding" in response.headers["Vary"]


def test_short_and_already_encoded_responses_are_left_alone() -> None:
    short = _send(HttpResponse(b"<p>Moved</p>"))
    assert short.content == b"<p>Moved</p>" and "Content-Encoding" not in short.headers
    encoded = _send(HttpResponse(b"x" * 500, headers={"Content-Encoding": "br"}))
    assert encoded.content == b"x" * 500 and encoded.headers["Content-Encoding"] == "br"


def test_streamed_responses_are_compressed_as_a_stream() -> None:
    response = _send(StreamingHttpResponse(iter([PAGE, PAGE])))
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == PAGE + PAGE
