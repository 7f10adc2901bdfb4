from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("new/", views.import_new, name="new"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
]
