from django.urls import path

from verksam.pages import home, lists, overview, tree, views

app_name = "pages"
urlpatterns = [
    path("", home.home, name="home"),
    path("plans/<key:key>/", views.plan_detail, name="plan_detail"),
    path("plans/<key:key>/overview/", overview.plan_overview, name="plan_overview"),
    path("plans/<key:key>/tree/", tree.plan_tree_page, name="plan_tree"),
    path("goal-areas/<key:key>/", views.goalarea_detail, name="goalarea_detail"),
    path("objectives/<key:key>/", views.objective_detail, name="objective_detail"),
    path("assignments/", lists.assignment_list, name="assignment_list"),
    path("actions/", lists.action_list, name="action_list"),
    path("indicators/", lists.indicator_list, name="indicator_list"),
    path("assignments/<key:key>/", views.assignment_detail, name="assignment_detail"),
    path("actions/<key:key>/", views.action_detail, name="action_detail"),
    path("indicators/<key:key>/", views.indicator_detail, name="indicator_detail"),
]
