"""The REST API for departments' systems, at /api/v1/: an organisation's submissions and
cases, read and acted on with a scoped API token (tokens.py), so that a case-management
system takes the data without anyone typing it again. docs/integrations.md describes it; its
OpenAPI document is committed (docs/integrations-api.openapi.json) and pinned by a test.

Every error is JSON, `{"error": {status, code, message, fields}}`: 400 for a body that cannot
be read, 401 for a missing, unknown, expired or revoked token, 403 for a scope the token
lacks or a service of another organisation, 404, 409 for an action the case's status or
version refuses, 422 for input that does not fit. A record of another organisation is a 404,
as on the staff pages: a token cannot even learn that it exists.
"""

from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from . import tokens
from .schemas import Error


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Bearer(HttpBearer):
    """`Authorization: Bearer porth_api_…`; the caller is `request.auth` (tokens.Caller)."""

    def authenticate(self, request: HttpRequest, token: str) -> tokens.Caller | None:
        return tokens.caller_for(token.strip())


api = NinjaAPI(
    title="Porth integrations API",
    version="1",
    description="An organisation's submissions and cases for its own systems. "
    "See docs/integrations.md.",
    urls_namespace="integrations-api",
    docs_url=None,
    openapi_url="/openapi.json",
    auth=Bearer(),
)

# Documented on every operation: schemathesis checks that nothing else is answered.
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


def error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body = {"error": {"status": status, "code": code, "message": message, "fields": fields or []}}
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="porth"'
    return response


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error(request, exc.status, exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(
        request,
        401,
        "unauthorised",
        "Send a valid API token: Authorization: Bearer porth_api_… (it may be revoked or expired)",
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {"location": [str(part) for part in item.get("loc", [])], "message": item.get("msg", "")}
        for item in exc.errors
    ]
    return error(request, 422, "invalid", "The request has values that are not valid", fields)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(exc.status_code, "error")
    return error(request, exc.status_code, code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", "Not found")


def refused_early(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A request the site refused before the API saw it (porth.utils.views)."""
    codes = {400: "bad_request", 404: "not_found", 413: "too_large"}
    return error(request, status, codes.get(status, "error"), message)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/v1/: JSON, as the API's own answers are."""
    return error(request, 404, "not_found", "There is no such address in this API")


class UnknownParameters(Exception):
    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


@api.exception_handler(UnknownParameters)
def _unknown(request: HttpRequest, exc: UnknownParameters) -> HttpResponse:
    fields = [{"location": ["query", name], "message": "Not a parameter of this address"}
              for name in exc.names]  # fmt: skip
    return error(request, 422, "invalid", "The request has parameters this address does not take",
                 fields)  # fmt: skip


def need(request: HttpRequest, scope: str, query: Iterable[str] = ()) -> tokens.Caller:
    """The caller, if their token has `scope` (else a 403) and the query string has only the
    parameters in `query` (else a 422: a misspelt filter is an error, not everything)."""
    caller = request.auth  # type: ignore[attr-defined]
    assert isinstance(caller, tokens.Caller)
    if not caller.has(scope):
        raise ApiError(403, "forbidden", f"The token does not have the {scope} scope")
    unknown = sorted(set(request.GET) - set(query))
    if unknown:
        raise UnknownParameters(unknown)
    return caller
