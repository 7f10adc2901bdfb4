from django.urls import path

from . import coach_views, review_views, views

app_name = "coaching"
urlpatterns = [
    path("", views.coaching_settings, name="settings"),
    path("<int:pk>/end/", views.coaching_end, name="end"),
    path("<int:pk>/level/", views.coaching_level, name="level"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("letters/<int:pk>/review/", review_views.review_request, name="review_request"),
    path("letters/<int:pk>/comments/", review_views.comment_add, name="comment_add"),
    path("comments/<int:pk>/resolve/", review_views.comment_resolve, name="comment_resolve"),
    path("clients/", coach_views.coach_dashboard, name="dashboard"),
    path("clients/invite/", coach_views.invite_client, name="invite_client"),
    path("clients/<int:pk>/", coach_views.client_dashboard, name="client"),
]
