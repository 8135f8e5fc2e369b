"""Domain errors and the one handler that renders them as {"error": ..., "detail": ...}."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class AppError(Exception):
    """Base of every error a service may raise; the message tells the caller what to do next."""

    status_code = 400

    def __init__(self, message: str, *, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail if detail is not None else message


class BadRequest(AppError):
    status_code = 400


class Unauthorized(AppError):
    status_code = 401


class Forbidden(AppError):
    status_code = 403


class NotFound(AppError):
    status_code = 404


class Conflict(AppError):
    status_code = 409


class StaleDraft(Conflict):
    """The incident moved on since the draft was written; detail lists what changed."""


class BlockedByGuards(Conflict):
    """The draft has blocking guard violations; detail lists them."""


class PayloadTooLarge(AppError):
    status_code = 413


class InvalidInput(AppError):
    status_code = 422


class ServiceUnavailable(AppError):
    status_code = 503


def _body(error: str, detail: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail}


def _jsonable_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for item in exc.errors():
        errors.append(
            {
                "loc": list(item.get("loc", ())),
                "msg": str(item.get("msg", "")),
                "type": str(item.get("type", "")),
            }
        )
    return errors


def install_error_handlers(app: FastAPI) -> None:
    """Render every error in the same JSON shape."""

    async def handle_app_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(
            _body(type(exc).__name__, exc.detail), status_code=exc.status_code, headers=headers
        )

    async def handle_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse(_body("ValidationError", _jsonable_errors(exc)), status_code=422)

    async def handle_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        names = {400: "BadRequest", 401: "Unauthorized", 404: "NotFound", 405: "MethodNotAllowed"}
        name = names.get(exc.status_code, "HTTPError")
        detail = exc.detail
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            detail = "the request body is not valid JSON in UTF-8: fix the encoding and retry"
        return JSONResponse(_body(name, detail), status_code=exc.status_code, headers=exc.headers)

    app.add_exception_handler(AppError, handle_app_error)
    app.add_exception_handler(RequestValidationError, handle_validation)
    app.add_exception_handler(StarletteHTTPException, handle_http)
