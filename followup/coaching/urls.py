from django.urls import path

from .views import acting, coach, consent, next_steps, notes, review

app_name = "coaching"
urlpatterns = [
    path("", consent.coaching_settings, name="settings"),
    path("<int:pk>/end/", consent.coaching_end, name="end"),
    path("<int:pk>/level/", consent.coaching_level, name="level"),
    path("<int:pk>/calendar/", consent.coaching_calendar, name="calendar"),
    path("invitations/<str:token>/", consent.invitation, name="invitation"),
    path("letters/<int:pk>/review/", review.review_request, name="review_request"),
    path("letters/<int:pk>/review/done/", review.review_done, name="review_done"),
    path("letters/<int:pk>/comments/", review.comment_add, name="comment_add"),
    path("comments/<int:pk>/resolve/", review.comment_resolve, name="comment_resolve"),
    path("clients/", coach.coach_dashboard, name="dashboard"),
    path("clients/invite/", coach.invite_client, name="invite_client"),
    path("clients/<int:pk>/", coach.client_dashboard, name="client"),
    path("clients/<int:pk>/board/", coach.client_board, name="client_board"),
    path(
        "clients/<int:pk>/applications/new/",
        acting.client_application_create,
        name="client_application_create",
    ),
    path("clients/<int:pk>/next-steps/", next_steps.next_step_add, name="next_step_add"),
    path("next-steps/<int:pk>/done/", next_steps.next_step_done, name="next_step_done"),
    path("next-steps/<int:pk>/withdraw/", next_steps.next_step_withdraw, name="next_step_withdraw"),
    path("clients/<int:pk>/notes/", notes.note_add, name="note_add"),
    path("notes/<int:pk>/delete/", notes.note_delete, name="note_delete"),
]
