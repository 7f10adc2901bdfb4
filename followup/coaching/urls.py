from django.urls import path

from . import coach_views, views

app_name = "coaching"
urlpatterns = [
    path("", views.coaching_settings, name="settings"),
    path("<int:pk>/end/", views.coaching_end, name="end"),
    path("<int:pk>/level/", views.coaching_level, name="level"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("clients/", coach_views.coach_dashboard, name="dashboard"),
    path("clients/invite/", coach_views.invite_client, name="invite_client"),
    path("clients/<int:pk>/", coach_views.client_dashboard, name="client"),
]
