from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.my_insights, name="mine"),
    path("clients/", views.caseload_insights, name="caseload"),
    path("clients/<int:pk>/", views.client_insights, name="client"),
]
