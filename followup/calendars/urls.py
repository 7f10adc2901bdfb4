from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    # The token is the key: calendar apps cannot log in (see models.CalendarFeed).
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("link/new/", views.feed_renew, name="renew"),
    path("link/off/", views.feed_turn_off, name="turn_off"),
    path("interviews/<int:pk>.ics", views.interview_ics, name="interview"),
]
