"""The REST API: one django-ninja router per app, OpenAPI at /api/docs."""

from ninja import NinjaAPI

from verksam.budget.api import router as budget_router
from verksam.plans.api import router as plans_router
from verksam.risks.api import router as risks_router

api = NinjaAPI(title="verksam API", version="1", urls_namespace="api")
api.add_router("/plans/", plans_router)
api.add_router("/budget/", budget_router)
api.add_router("/risks/", risks_router)
