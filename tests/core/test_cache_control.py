"""A signed-in person's pages and downloads are never kept by a shared cache or on disk; public
static files and the landing page stay cacheable."""

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_max_age

from tests.factories import ApplicationFactory, ContactFactory, LetterFactory, gift_with_file

pytestmark = pytest.mark.django_db

MIDDLEWARE = "followup.core.middleware.PrivatePagesMiddleware"


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


@pytest.fixture
def letter(owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(owner=owner)
    letter = LetterFactory(application=application, contact=ContactFactory(owner=owner))
    gift_with_file(letter)
    return letter


def private_urls(letter) -> list[str]:
    return [
        reverse("home"),
        reverse("applications:list"),
        reverse("applications:detail", args=[letter.application_id]),
        reverse("contacts:detail", args=[letter.contact_id]),
        reverse("letters:list"),
        reverse("letters:new"),
        reverse("letters:compose", args=[letter.pk]),
        reverse("letters:eml", args=[letter.pk]),
        reverse("letters:gift_file", args=[letter.gift.pk]),
        reverse("accounts:profile"),
        reverse("reminders:preferences"),
        reverse("coaching:settings"),
        reverse("account_email"),
        reverse("letters:compose", args=[10**9]),  # a 404 is as private as the page
    ]


def test_every_page_for_a_signed_in_person_is_private_and_not_stored(owner_client, letter):
    for url in private_urls(letter):
        response = owner_client.get(url)
        assert {"private", "no-store"} <= directives(response), (url, response.status_code)
        assert "public" not in directives(response), url


def test_a_redirect_for_a_signed_in_person_is_not_stored_either(owner_client, owner):
    response = owner_client.post(reverse("applications:create"), {"organisation": "A"})
    assert response.status_code == 200
    response = owner_client.post(
        reverse("applications:create"), {"organisation": "Acme", "position": "Analyst"}
    )
    assert response.status_code == 302
    assert {"private", "no-store"} <= directives(response)


@pytest.mark.parametrize("name", ["letters:eml", "letters:gift_file"])
def test_downloads_say_private_no_store_themselves(owner_client, letter, settings, name):
    """Without the middleware too: a download is the one response a browser keeps on disk."""
    settings.MIDDLEWARE = [entry for entry in settings.MIDDLEWARE if entry != MIDDLEWARE]
    pk = letter.gift.pk if name == "letters:gift_file" else letter.pk
    response = owner_client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_the_landing_page_stays_cacheable_for_a_visitor(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)


def test_static_files_stay_cacheable_for_a_signed_in_person(owner_client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    response = owner_client.get(static("css/app.css"))
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)
    assert get_max_age(response) is not None


def test_the_middleware_is_installed_after_authentication(settings):
    """It reads request.user, and sees every response the later middleware make (the staff
    two-factor redirect)."""
    order = settings.MIDDLEWARE
    assert order.index(MIDDLEWARE) > order.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    assert order.index(MIDDLEWARE) < order.index("followup.accounts.middleware.StaffMFAMiddleware")


def test_the_header_reads_private_no_store(owner_client):
    response = owner_client.get(reverse("applications:list"))
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]
