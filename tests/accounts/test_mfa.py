"""Two-factor authentication: optional for job seekers, required for staff in the admin."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_without_two_factor_are_sent_to_set_it_up(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_two_factor_reach_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXP")
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_job_seeker_may_set_up_two_factor_but_need_not(owner_client):
    assert owner_client.get("/").status_code == 200
    assert owner_client.get(reverse("mfa_index")).status_code == 200
    # Turning it on asks for the password again first.
    response = owner_client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_login_asks_for_the_code_once_two_factor_is_on(client, password):
    person = UserFactory(email="careful@example.com")
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    response = client.post(reverse("account_login"), {"login": person.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
