"""Ids read from the new-letter page's query string: anything typed is no id, never a 500."""

import pytest
from django.urls import reverse

from followup.applications.models import FollowUp
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = pytest.mark.django_db

# str.isdigit() accepts all of these; int() fails on the first two and reads the others.
NOT_IDS = ["²", "1²", "١٢", "٣", "１", "0", "-1", "1.0", " 1", "9" * 25, "\x00", ""]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("name", ["follow_up", "application", "contact", "interview"])
def test_new_letter_page_treats_a_value_that_is_no_id_as_none(owner_client, name, value):
    response = owner_client.get(reverse("letters:new"), {name: value})
    assert response.status_code == 200
    assert response.context["form"].initial.get(name) is None


def test_new_letter_page_reads_ascii_ids(owner_client, owner):
    application = ApplicationFactory(owner=owner)
    contact = ContactFactory(owner=owner)
    response = owner_client.get(
        reverse("letters:new"),
        {"application": str(application.pk), "contact": f"0{contact.pk}", "kind": "follow_up"},
    )
    initial = response.context["form"].initial
    assert (initial["application"], initial["contact"], initial["kind"]) == (
        application.pk,
        contact.pk,
        "follow_up",
    )


def test_new_letter_page_ignores_another_persons_follow_up(owner_client, stranger):
    application = ApplicationFactory(owner=stranger)
    follow_up = FollowUp.objects.create(
        application=application, kind="follow_up", due_on="2025-01-06", step=1
    )
    response = owner_client.get(reverse("letters:new"), {"follow_up": str(follow_up.pk)})
    assert response.status_code == 200
    assert "follow_up" not in response.context["form"].initial
