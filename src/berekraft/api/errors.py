"""Every error the API answers has one shape, ``{"errors": [{"where", "what", "fix"}]}``, and the
status that says what kind it is. User errors (``berekraft.errors``) map onto statuses here, in one
place; anything else is a bug and Django's 500.

    400  a query or path parameter is malformed (not a number, an unknown sort, a broken cursor)
    401  no token where one is needed, or a token that is unknown, expired or revoked
    403  the token's user has no role that allows this
    404  no such member, series, indicator, goal, value or network
    409  the value changed since it was read (stale If-Match), or is not in the state asked for
    413  an upload larger than the import limit
    422  a well-formed request with values that do not pass (a body field, a file's problems)
    428  a write to a value without If-Match
    429  too many anonymous requests from one address
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from berekraft.core.problems import Problem
from berekraft.errors import ConflictError, ForbiddenError, InputError, NotFoundError

ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 413, 422, 428, 429})


class Error(Schema):
    where: str
    what: str
    fix: str


class Errors(Schema):
    errors: list[Error]


class ApiError(Exception):
    """An error raised by the API's own code with its status and one or more errors."""

    def __init__(self, status: int, what: str, *, where: str = "", fix: str = "") -> None:
        super().__init__(what)
        self.status = status
        self.errors = [{"where": where, "what": what, "fix": fix}]


def problem_error(problem: Problem) -> dict[str, str]:
    what = problem.text(_)
    if problem.value:
        what += f" ({problem.value!r})"
    return {"where": problem.where_text(_), "what": what, "fix": problem.hint_text(_)}


def errors_response(
    api: NinjaAPI, request: HttpRequest, status: int, errors: list[dict[str, str]]
) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn user errors into the one shape."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return errors_response(api, request, exc.status, exc.errors)

    @api.exception_handler(InputError)
    def input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
        errors = [problem_error(p) for p in exc.problems] or [
            {"where": "", "what": _(exc.summary), "fix": ""}
        ]
        return errors_response(api, request, 422, errors)

    @api.exception_handler(NotFoundError)
    def not_found(request: HttpRequest, exc: NotFoundError) -> HttpResponse:
        return errors_response(api, request, 404, [{"where": request.path, "what": str(exc), "fix": ""}])

    @api.exception_handler(Http404)
    def http_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return errors_response(api, request, 404, [{"where": request.path, "what": str(exc), "fix": ""}])

    @api.exception_handler(ForbiddenError)
    def forbidden(request: HttpRequest, exc: ForbiddenError) -> HttpResponse:
        fix = "Ask the network's admin for the role (berekraft grant)."
        return errors_response(api, request, 403, [{"where": request.path, "what": str(exc), "fix": fix}])

    @api.exception_handler(ConflictError)
    def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        fix = "Read the value again and send your change with its current version."
        return errors_response(api, request, 409, [{"where": request.path, "what": str(exc), "fix": fix}])

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        fix = "Send a valid personal token: Authorization: Bearer <token> (made in the workspace)."
        what = exc.message if exc.message != "Unauthorized" else "this needs a personal API token"
        response = errors_response(api, request, 401, [{"where": "Authorization", "what": what, "fix": fix}])
        response["WWW-Authenticate"] = 'Bearer realm="berekraft"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        fix = "Wait a minute, or use a personal API token."
        what = "too many requests without a token from your address"
        response = errors_response(api, request, 429, [{"where": "", "what": what, "fix": fix}])
        response["Retry-After"] = str(exc.wait or 60)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return errors_response(api, request, exc.status_code, [{"where": "", "what": exc.message, "fix": ""}])

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        status = 422
        for e in exc.errors:
            loc = [str(part) for part in e.get("loc", ())]
            if loc and loc[0] in ("query", "path", "header"):
                status = 400
            where = ".".join(
                loc[1:] if loc and loc[0] in ("query", "path", "header", "body", "form", "file") else loc
            )
            errors.append(
                {
                    "where": where,
                    "what": str(e.get("msg", "")),
                    "fix": "See /api/v1/docs for what it takes.",
                }
            )
        return errors_response(api, request, status, errors)
