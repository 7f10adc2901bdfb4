from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("settings/", views.preferences_view, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
