"""Two-factor authentication: optional for job seekers, required for staff in the admin, where
enrolling asks for a code emailed to the staff member's confirmed address first."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
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


# --- Staff enrol only after confirming an emailed code --------------------------------------

SECRET = "JBSWY3DPEHPK3PXP"


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def activate_totp(client) -> None:
    """Post a right authenticator code for a secret the activation form was given."""
    session = client.session
    session["mfa.totp.secret"] = SECRET
    session.save()
    client.post(reverse("mfa_activate_totp"), {"code": current_code(SECRET)})


def emailed_code(message) -> str:
    lines = [line.strip() for line in message.body.splitlines()]
    return next(line for line in lines if line and " " not in line and line.isupper())


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)


def test_staff_cannot_activate_two_factor_with_their_password_alone(client, staff, password):
    client.force_login(staff)
    # Whoever has the password has passed the login and this: not enough to enrol a second factor
    # of their own choosing on a staff account.
    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_request_reauthentication_code"))
    activate_totp(client)
    assert not Authenticator.objects.filter(user=staff).exists()
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")


def test_staff_activate_two_factor_after_confirming_a_code_sent_to_their_address(
    client, staff, mailoutbox
):
    client.force_login(staff)
    response = client.get(reverse("admin:index"), follow=True)
    # Sent from the admin to the setup, and from the setup to confirm the address first.
    assert response.redirect_chain[-1][0].startswith(
        reverse("account_request_reauthentication_code")
    )
    response = client.post(response.redirect_chain[-1][0], {"recipient": staff.email}, follow=True)
    [message] = mailoutbox
    assert message.to == [staff.email]
    assert response.redirect_chain[-1][0].startswith(
        reverse("account_confirm_reauthentication_code")
    )
    response = client.post(response.redirect_chain[-1][0], {"code": emailed_code(message)})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    activate_totp(client)
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_emailed_confirmation_counts_for_a_few_minutes_only(
    client, settings, staff, mailoutbox
):
    client.force_login(staff)
    client.post(reverse("account_request_reauthentication_code"), {"recipient": staff.email})
    client.post(
        reverse("account_confirm_reauthentication_code"), {"code": emailed_code(mailoutbox[0])}
    )
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= settings.STAFF_MFA_EMAIL_CONFIRMATION_SECONDS + 1
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_request_reauthentication_code"))


def test_a_job_seeker_enrols_with_their_password(client, password):
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("account_reauthenticate"), {"password": password})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    activate_totp(client)
    assert Authenticator.objects.filter(user=person, type="totp").exists()
