from django.urls import path

from . import views

app_name = "coaching"
urlpatterns = [
    path("", views.coaching_settings, name="settings"),
    path("<int:pk>/end/", views.coaching_end, name="end"),
    path("<int:pk>/level/", views.coaching_level, name="level"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
