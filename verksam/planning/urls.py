from django.urls import path

from verksam.planning import review_views, views

app_name = "planning"
urlpatterns = [
    path("new/", views.plan_new, name="plan_new"),
    path("<str:key>/changes/", views.plan_changes, name="plan_changes"),
    # The review: before `<key>/<verb>/`, which would take "comments".
    path("<key:key>/comments/", review_views.plan_review, name="plan_review"),
    # Before the item's comments, whose two parts would take "5/answer".
    path("comments/<int:pk>/answer/", review_views.comment_answer, name="comment_answer"),
    path("comments/<int:pk>/reopen/", review_views.comment_reopen, name="comment_reopen"),
    path("comments/<str:kind>/<key:key>/", review_views.item_comments, name="item_comments"),
    path("<key:key>/edit/", views.plan_edit, name="plan_edit"),
    path("<key:key>/decide/", views.plan_decide, name="plan_decide"),
    path("<key:key>/dates/", views.date_preview, name="date_preview"),
    path("<key:key>/new/<str:kind>/", views.item_new, name="item_new"),
    path("<key:key>/amendment/", views.amendment_record, name="amendment_record"),
    path(
        "<key:key>/amendment/<int:number>/remove/",
        views.amendment_change_remove,
        name="amendment_change_remove",
    ),
    path("<key:key>/amendment/discard/", views.amendment_discard, name="amendment_discard"),
    path("<key:key>/<str:verb>/", views.plan_move, name="plan_move"),
    path("items/<str:kind>/<key:key>/", views.item_edit, name="item_edit"),
    path("items/<str:kind>/<key:key>/row/", views.item_row, name="item_row"),
    path("items/<str:kind>/<key:key>/shift/", views.item_shift, name="item_shift"),
    path("items/<str:kind>/<key:key>/delete/", views.item_delete, name="item_delete"),
]
