from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic.base import RedirectView

# The admin's own login form would skip the rate limits, the password-check slots and the
# second factor: whoever is not signed in is sent to the site's login instead.
admin.site.login = secure_admin_login(admin.site.login)

# No route serves MEDIA_URL, in any mode: uploaded gift files are served only by
# letters:gift_file, which checks who may see the letter and sends them as sandboxed downloads.
urlpatterns = [
    path("", include("followup.home.urls")),
    path("applications/", include("followup.applications.urls")),
    path("applications/", include("followup.interviews.urls")),
    path("contacts/", include("followup.contacts.urls")),
    path("letters/", include("followup.letters.urls")),
    path("reminders/", include("followup.reminders.urls")),
    path("coaching/", include("followup.coaching.urls")),
    path("calendar/", include("followup.calendars.urls")),
    path("insights/", include("followup.insights.urls")),
    path("search/", include("followup.search.urls")),
    path("imports/", include("followup.imports.urls")),
    path("accounts/", include("allauth.urls")),
    path("settings/data/", include("followup.exports.urls")),
    path("settings/", include("followup.accounts.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg")),
]
