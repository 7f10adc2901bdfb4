from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("board/", views.application_board, name="board"),
    path("view/", views.applications_view, name="view"),
    path("agenda/", views.agenda, name="agenda"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_update, name="update"),
    path("<int:pk>/delete/", views.application_delete, name="delete"),
    path("<int:pk>/status/", views.application_status, name="status"),
    path("<int:pk>/reply/", views.application_reply, name="reply"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:pk>/skip/", views.follow_up_skip, name="follow_up_skip"),
    path("follow-ups/<int:pk>/snooze/", views.follow_up_snooze, name="follow_up_snooze"),
    path("follow-ups/undo/<int:pk>/", views.plan_change_undo, name="plan_change_undo"),
]
