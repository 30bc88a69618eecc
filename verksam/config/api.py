"""The REST API: one django-ninja router per app, OpenAPI at /api/docs."""

from ninja import NinjaAPI

from verksam.followup.api import router as followup_router
from verksam.plans.api import router as plans_router

api = NinjaAPI(title="verksam API", version="1", urls_namespace="api")
api.add_router("/plans/", plans_router)
api.add_router("/followup/", followup_router)
