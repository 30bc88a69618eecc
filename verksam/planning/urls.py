from django.urls import path

from verksam.planning import views

app_name = "planning"
urlpatterns = [
    path("<str:key>/changes/", views.plan_changes, name="plan_changes"),
    path("<str:key>/review/", views.plan_review, name="plan_review"),
    path("<str:key>/decide/", views.plan_decide, name="plan_decide"),
    # Before the item's comments, whose two parts would take "5/answer".
    path("comments/<int:pk>/answer/", views.comment_answer, name="comment_answer"),
    path("comments/<int:pk>/reopen/", views.comment_reopen, name="comment_reopen"),
    path("comments/<str:kind>/<str:key>/", views.item_comments, name="item_comments"),
]
