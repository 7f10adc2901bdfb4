from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("new/", views.letter_new, name="new"),
    path("<int:pk>/", views.compose, name="compose"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/gift/", views.gift_edit, name="gift"),
    path("<int:pk>/gift/delete/", views.gift_delete, name="gift_delete"),
    path("<int:pk>/letter.eml", views.download_eml, name="eml"),
    path("<int:pk>/sent/", views.mark_sent, name="mark_sent"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("gifts/<int:pk>/file/", views.gift_file, name="gift_file"),
]
