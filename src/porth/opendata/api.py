"""CKAN's Action API (`/api/3/action/<name>` and `/api/action/<name>`), so that CKAN's clients
(ckanapi, harvesters, scripts written for data.gov.uk) read and write Porth unchanged.

Every answer is CKAN's envelope: `{help, success: true, result}`, or `{help, success: false,
error: {__type, message | field errors}}` with CKAN's status codes (views/api.py in CKAN):
Validation Error 409, Authorization Error 403, Not Found Error 404, Search Query Error 400,
and 400 for an unknown action or unreadable parameters. Parameters come from the query string
(GET), a JSON body, or a form (multipart for resource_create's `upload`), as CKAN takes them.

The caller is the user of the API token in `Authorization` or `X-CKAN-API-Key` (tokens.py),
never a session cookie: so there is no CSRF to guard against, and a browser signed in to the
staff pages cannot be made to write here. The actions themselves are in
api_reads.py and api_writes.py.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse, QueryDict
from ninja import NinjaAPI

from porth.accounts.models import User

from . import tokens
from .access import publishing_organisations
from .actions import NotAuthorised
from .datasets import Invalid
from .links import absolute
from .search import SearchQueryError


class BadRequest(Exception):
    """Parameters that cannot be read at all (CKAN answers 400 "Bad request")."""


class NotFound(Exception):
    """No such dataset, resource, organisation or group (CKAN's "Not Found Error")."""


@dataclass
class Call:
    """One call of an action: its parameters and who makes it."""

    request: HttpRequest
    params: dict[str, Any]
    user: User | None = None
    # The organisations the caller publishes for: their private datasets and drafts are seen.
    organisations: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Action:
    name: str
    function: Callable[[Call], Any]
    write: bool


ACTIONS: dict[str, Action] = {}


def action(*, write: bool = False) -> Callable[[Callable[[Call], Any]], Callable[[Call], Any]]:
    """Register an action under its function's name. A write action takes POST only and
    needs a token, as CKAN's do."""

    def register(function: Callable[[Call], Any]) -> Callable[[Call], Any]:
        ACTIONS[function.__name__] = Action(function.__name__, function, write)
        return function

    return register


def _json(body: Any, status: int) -> HttpResponse:
    response = HttpResponse(
        orjson.dumps(body), status=status, content_type="application/json;charset=utf-8"
    )
    # Open data may be read by a web page of any site (a dashboard, a notebook): safe, as
    # no answer depends on a cookie, and `*` lets no browser send one.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(help_url: str, status: int, error: dict[str, Any]) -> HttpResponse:
    return _json({"help": help_url, "success": False, "error": error}, status)


def _mixed(query: QueryDict) -> dict[str, Any]:
    """A form or query string as CKAN reads it: a key given more than once is a list."""
    return {key: values if len(values) > 1 else values[0] for key, values in query.lists()}


def _params(request: HttpRequest, *, write: bool) -> dict[str, Any]:
    if request.method == "GET":
        if write:
            raise BadRequest("Invalid request. Please use POST method for your request")
        return _mixed(request.GET)
    content_type = request.content_type or ""
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = _mixed(request.POST)
        # `curl -d '{"id": "x"}'` sends JSON as a form's only key; CKAN reads it as JSON.
        if len(form) == 1 and next(iter(form.values())) in ("", "1"):
            key = next(iter(form))
            if key.lstrip().startswith("{"):
                return _decode(key.encode())
        return form
    return _decode(request.body) if request.body.strip() else {}


def _decode(body: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadRequest(f"JSON Error: {error}") from error
    if not isinstance(data, dict):
        raise BadRequest(
            f"Bad request data: Request data JSON decoded to {data!r} but it needs to be a "
            "dictionary."
        )
    return data


def _caller(request: HttpRequest) -> User | None:
    secret = tokens.secret_from(request)
    if not secret:
        return None
    user = tokens.user_for(secret)
    if user is None:
        # Said plainly rather than read as anonymous: a script with a revoked token should
        # fail, not quietly stop seeing its private datasets.
        raise NotAuthorised("The API token is not valid: it may have been revoked or expired")
    return user


def answer(request: HttpRequest, name: str) -> HttpResponse:
    """Run the action `name` and wrap its result (or error) in CKAN's envelope."""
    help_url = absolute(f"/api/3/action/help_show?name={name}", request)
    found = ACTIONS.get(name)
    if found is None:
        return _error(
            help_url, 400, {"__type": "Bad Request", "message": f"Action name not known: {name}"}
        )
    try:
        user = _caller(request)
        params = _params(request, write=found.write)
        params.pop("callback", None)  # JSONP: not offered
        if found.write and user is None:
            raise NotAuthorised("Give your API token in the Authorization header")
        call = Call(request, params, user, publishing_organisations(user))
        result = found.function(call)
    except BadRequest as error:
        return _error(help_url, 400, {"__type": "Bad Request", "message": str(error)})
    except NotAuthorised as error:
        return _error(
            help_url, 403, {"__type": "Authorization Error", "message": f"Access denied: {error}"}
        )
    except NotFound as error:
        message = f"Not found: {error}" if str(error) else "Not found"
        return _error(help_url, 404, {"__type": "Not Found Error", "message": message})
    except Invalid as error:
        return _error(help_url, 409, {"__type": "Validation Error", **error.errors})
    except SearchQueryError as error:
        return _error(
            help_url,
            400,
            {"__type": "Search Query Error", "message": f"Search Query is invalid: {error}"},
        )
    return _json({"help": help_url, "success": True, "result": result}, 200)


api = NinjaAPI(
    title="Porth open data: CKAN Action API",
    version="3",
    description="CKAN's Action API, as CKAN 2.10 gives it. See docs/opendata-api.md.",
    urls_namespace="opendata-api",
    docs_url=None,
    openapi_url="/3/openapi.json",
)


def _view(name: str) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        return answer(request, name)

    return view


def _unknown(request: HttpRequest, name: str) -> HttpResponse:
    return answer(request, name)


# What every action may answer (the OpenAPI document says so; CKAN's own status codes).
_RESPONSES = {
    "200": {"description": "{help, success: true, result}"},
    "400": {"description": "Bad Request or Search Query Error"},
    "403": {"description": "Authorization Error: no token, a bad one, or not the caller's"},
    "404": {"description": "Not Found Error"},
    "409": {"description": "Validation Error: {__type, <field>: [messages]}"},
}


def register_routes() -> None:
    """One operation per action (so the OpenAPI document lists them, with their help), at
    both of CKAN's addresses; then any other name, which is answered "not known"."""
    for found in ACTIONS.values():
        doc = inspect.getdoc(found.function) or ""
        for prefix, listed in (("/3/action/", True), ("/action/", False)):
            api.default_router.add_api_operation(
                prefix + found.name,
                ["GET", "POST"],
                _view(found.name),
                summary=doc.split("\n\n", 1)[0].replace("\n", " "),
                description=doc,
                operation_id=found.name if listed else f"{found.name}_unversioned",
                tags=["write" if found.write else "read"],
                include_in_schema=listed,
                openapi_extra={"responses": _RESPONSES},
            )
    for prefix in ("/3/action/", "/action/"):
        api.default_router.add_api_operation(
            prefix + "{name}", ["GET", "POST"], _unknown, include_in_schema=False
        )
