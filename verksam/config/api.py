"""The REST API: one django-ninja router per app, OpenAPI at /api/docs. Authentication and
rate limits: `verksam.accounts.api_auth`.

Every error answers with one documented body, `ApiError` (a `detail` text and, for input
that does not validate, the messages per field), and the schema lists the errors every
operation can give besides its own: a refused token (401), input that does not validate
(422), the rate limit (429), with a path parameter an id that does not exist or may not
be read (404), and with a request body one that is not JSON (400). Operations that also
answer anonymous callers (public records) say so with OpenAPI's empty security
requirement. A test runs schemathesis against the schema (verksam/config/tests)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError

from verksam.accounts.api_auth import API_AUTH, ApiRateThrottle, anonymous
from verksam.budget.api import router as budget_router
from verksam.economy.api import router as economy_router
from verksam.followup.api import router as followup_router
from verksam.planning.api import router as planning_router
from verksam.plans.api import router as plans_router
from verksam.risks.api import router as risks_router


class ApiError(Schema):
    """What went wrong; for input that does not validate, the messages per field
    (`query.year`, `body.payload.status`)."""

    detail: str
    errors: dict[str, list[str]] = {}


COMMON_ERRORS = {
    401: "The token or session is not valid.",
    422: "The input does not validate.",
    429: "Too many requests: wait the seconds in Retry-After.",
}
NOT_FOUND = "No such object, or not one the caller may read."
NOT_JSON = "The request body is not JSON."


class VerksamAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's schema, with the errors every operation may answer (see the module)."""
        schema = super().get_openapi_schema(**kwargs)
        schema["components"]["schemas"]["ApiError"] = ApiError.model_json_schema()
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
        # Operations with the default authentication (API_AUTH, which ends in `anonymous`)
        # render it as these alternatives; they answer anonymous callers too.
        default_security: list[dict[str, list[str]]] = [
            {type(auth).__name__: []}
            for auth in API_AUTH
            if hasattr(auth, "openapi_security_schema")
        ]
        for path, operations in schema["paths"].items():
            errors = {**COMMON_ERRORS, **({404: NOT_FOUND} if "{" in path else {})}
            for operation in operations.values():
                with_body = {400: NOT_JSON} if "requestBody" in operation else {}
                for status, description in {**errors, **with_body}.items():
                    operation["responses"].setdefault(
                        status, {"description": description, "content": body}
                    )
                if anonymous in API_AUTH and operation.get("security") == default_security:
                    operation["security"].append({})  # no credentials: public data only
        return schema


api = VerksamAPI(
    title="verksam API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    throttle=[ApiRateThrottle()],
)
api.add_router("/plans/", plans_router)
api.add_router("/budget/", budget_router)
api.add_router("/risks/", risks_router)
api.add_router("/followup/", followup_router)
api.add_router("/planning/", planning_router)
api.add_router("/economy/", economy_router)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Input that does not validate: 422 with `ApiError`, the messages by field."""
    errors: dict[str, list[str]] = {}
    for problem in error.errors:
        field = ".".join(str(part) for part in problem.get("loc", ()))
        errors.setdefault(field, []).append(str(problem.get("msg", "")))
    return api.create_response(
        request, {"detail": "The input does not validate.", "errors": errors}, status=422
    )
