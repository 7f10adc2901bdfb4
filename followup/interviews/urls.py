from django.urls import path

from . import views

# Included under /applications/, where these pages have always been: bookmarks keep working.
app_name = "interviews"
urlpatterns = [
    path("<int:pk>/interviews/new/", views.interview_create, name="create"),
    path("interviews/<int:pk>/", views.interview_detail, name="detail"),
    path("interviews/<int:pk>/edit/", views.interview_update, name="update"),
    path("interviews/<int:pk>/delete/", views.interview_delete, name="delete"),
]
