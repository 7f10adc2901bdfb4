"""The contact pages: the list with search, the form, the detail, and delete with its protection."""

import pytest
from django.urls import reverse

from followup.applications import services
from followup.contacts.models import Contact
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

XSS = "<script>alert(1)</script>"


@pytest.fixture
def contact(owner):
    return ContactFactory(owner=owner, name="Ada Lovelace", organisation="Analytical Engines")


def form_data(**overrides):
    data = {
        "name": "Grace Hopper",
        "role": "Rear Admiral",
        "organisation": "Navy",
        "email": "grace@navy.example",
        "phone": "+1 (555) 010-0199",
        "profile_url": "https://example.org/grace",
        "notes": "Met at a conference.",
    }
    return data | overrides


# --- List -----------------------------------------------------------------------------------


def test_list_shows_only_my_contacts(owner_client, owner, stranger):
    ContactFactory(owner=owner, name="Mine Person")
    ContactFactory(owner=stranger, name="Their Person")
    response = owner_client.get(reverse("contacts:list"))
    assert response.status_code == 200
    assert b"Mine Person" in response.content
    assert b"Their Person" not in response.content


def test_list_searches_name_organisation_role_and_email(owner_client, owner):
    ContactFactory(owner=owner, name="Ada", organisation="Engines", role="Countess", email="a@x.io")
    ContactFactory(owner=owner, name="Bob", organisation="Widgets", role="Clerk", email="b@y.io")
    for q in ["ada", "ENGINES", "countess", "a@x.io"]:
        response = owner_client.get(reverse("contacts:list"), {"q": q})
        names = [c.name for c in response.context["page"].object_list]
        assert names == ["Ada"], q


def test_list_paginates_by_25_and_keeps_the_search(owner_client, owner):
    ContactFactory.create_batch(30, owner=owner, organisation="Same Org")
    response = owner_client.get(reverse("contacts:list"), {"q": "same"})
    page = response.context["page"]
    assert len(page.object_list) == 25
    assert page.paginator.num_pages == 2
    assert b"q=same&amp;page=2" in response.content
    second = owner_client.get(reverse("contacts:list"), {"q": "same", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_list_survives_a_nonsense_page_number(owner_client, owner):
    ContactFactory(owner=owner)
    assert owner_client.get(reverse("contacts:list"), {"page": "x"}).status_code == 200
    assert owner_client.get(reverse("contacts:list"), {"page": "999"}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(owner_client, owner, django_assert_num_queries):
    for count in (3, 30):
        Contact.objects.all().delete()
        ContactFactory.create_batch(count, owner=owner)
        # session, user, count, page of contacts
        with django_assert_num_queries(4):
            owner_client.get(reverse("contacts:list"))


def test_pages_need_a_signed_in_person(client, db):
    response = client.get(reverse("contacts:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Create and update ----------------------------------------------------------------------


def test_create_saves_the_contact_for_me(owner_client, owner):
    response = owner_client.post(reverse("contacts:create"), form_data())
    contact = Contact.objects.get(name="Grace Hopper")
    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    assert contact.owner == owner
    assert contact.phone == "+1 (555) 010-0199"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", b"Enter a valid email address."),
        ("phone", "call me maybe", b"Enter a phone number"),
        ("phone", "12", b"Enter a phone number"),
        ("profile_url", "javascript:alert(1)", b"Enter a valid URL."),
        ("name", "", b"This field is required."),
    ],
)
def test_create_refuses_bad_values_on_the_field(owner_client, field, value, message):
    response = owner_client.post(reverse("contacts:create"), form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content
    assert b"Please correct the fields marked below." in response.content
    assert not Contact.objects.exists()


def test_profile_url_without_a_scheme_gets_https(owner_client):
    owner_client.post(reverse("contacts:create"), form_data(profile_url="example.org/grace"))
    assert Contact.objects.get().profile_url == "https://example.org/grace"


def test_update_changes_the_contact(owner_client, contact):
    response = owner_client.post(
        reverse("contacts:update", args=[contact.pk]), form_data(name="Ada King")
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Ada King"


def test_update_with_errors_keeps_the_stored_name_in_the_heading(owner_client, contact):
    response = owner_client.post(reverse("contacts:update", args=[contact.pk]), form_data(name=""))
    assert response.status_code == 200
    assert b"Edit Ada Lovelace" in response.content
    contact.refresh_from_db()
    assert contact.name == "Ada Lovelace"


# --- Detail ---------------------------------------------------------------------------------


def test_detail_shows_interviews_and_letters(owner_client, owner, contact):
    application = ApplicationFactory(owner=owner, position="Data Engineer", organisation="Acme")
    services.interview_create(
        application=application,
        scheduled_at=application.created_at,
        interviewers=[(contact, "Sailing and compilers")],
        today=owner.today(),
    )
    letter = LetterFactory(application=application, contact=contact, subject="Thanks, Ada")
    response = owner_client.get(contact.get_absolute_url())
    assert response.status_code == 200
    assert b"Sailing and compilers" in response.content
    assert b"Data Engineer at Acme" in response.content
    assert reverse("letters:compose", args=[letter.pk]).encode() in response.content
    assert b"Draft" in response.content


def test_detail_escapes_every_text_field(owner_client, owner):
    contact = ContactFactory(
        owner=owner,
        name=XSS,
        role=XSS,
        organisation=XSS,
        phone=XSS,
        notes=XSS,
        profile_url="https://example.org/?q=<script>",
    )
    response = owner_client.get(contact.get_absolute_url())
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert b"?q=<script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


# --- Delete ---------------------------------------------------------------------------------


def test_delete_asks_then_deletes(owner_client, contact):
    url = reverse("contacts:delete", args=[contact.pk])
    response = owner_client.get(url)
    assert response.status_code == 200
    assert b"Delete Ada Lovelace?" in response.content
    response = owner_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:list")
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_delete_of_a_contact_with_letters_explains_instead_of_failing(owner_client, contact):
    LetterFactory(application__owner=contact.owner, contact=contact)
    url = reverse("contacts:delete", args=[contact.pk])
    confirm = owner_client.get(url)
    assert b"cannot be deleted" in confirm.content
    assert b'type="submit" class="btn btn-danger"' not in confirm.content

    response = owner_client.post(url, follow=True)
    assert response.status_code == 200
    assert b"cannot be deleted" in response.content
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_delete_needs_post_to_change_anything(owner_client, contact):
    owner_client.get(reverse("contacts:delete", args=[contact.pk]))
    assert Contact.objects.filter(pk=contact.pk).exists()


# --- Ownership ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["contacts:detail", "contacts:update", "contacts:delete"])
def test_a_stranger_gets_404_on_get_and_post(stranger_client, contact, name):
    url = reverse(name, args=[contact.pk])
    assert stranger_client.get(url).status_code == 404
    # The read-only page answers a POST with 405 before any lookup: nothing leaks either way.
    expected = 405 if name == "contacts:detail" else 404
    assert stranger_client.post(url, form_data(name="Hijacked")).status_code == expected
    contact.refresh_from_db()
    assert contact.name == "Ada Lovelace"


def test_a_missing_contact_is_404_like_anyone_elses(owner_client, db):
    assert owner_client.get(reverse("contacts:detail", args=[999999])).status_code == 404
