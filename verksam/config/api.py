"""The REST API: one django-ninja router per app, OpenAPI at /api/docs. Authentication and
rate limits: `verksam.accounts.api_auth`."""

from ninja import NinjaAPI

from verksam.accounts.api_auth import API_AUTH, ApiRateThrottle
from verksam.budget.api import router as budget_router
from verksam.followup.api import router as followup_router
from verksam.plans.api import router as plans_router
from verksam.risks.api import router as risks_router

api = NinjaAPI(
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
