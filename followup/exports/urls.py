from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.request_export, name="request"),
    path("<int:pk>/download/", views.download, name="download"),
    path("restore/", views.restore, name="restore"),
    path("restore/<int:pk>/", views.restore_detail, name="restore_detail"),
    path("restore/<int:pk>/progress/", views.restore_progress, name="restore_progress"),
]
