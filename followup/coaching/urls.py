from django.urls import path

from .views import coach, consent, review

app_name = "coaching"
urlpatterns = [
    path("", consent.coaching_settings, name="settings"),
    path("<int:pk>/end/", consent.coaching_end, name="end"),
    path("<int:pk>/level/", consent.coaching_level, name="level"),
    path("<int:pk>/calendar/", consent.coaching_calendar, name="calendar"),
    path("invitations/<str:token>/", consent.invitation, name="invitation"),
    path("letters/<int:pk>/review/", review.review_request, name="review_request"),
    path("letters/<int:pk>/comments/", review.comment_add, name="comment_add"),
    path("comments/<int:pk>/resolve/", review.comment_resolve, name="comment_resolve"),
    path("clients/", coach.coach_dashboard, name="dashboard"),
    path("clients/invite/", coach.invite_client, name="invite_client"),
    path("clients/<int:pk>/", coach.client_dashboard, name="client"),
    path("clients/<int:pk>/board/", coach.client_board, name="client_board"),
]
