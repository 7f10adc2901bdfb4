"""Ending a coaching well: a confirmation that says who loses what, an email to the other side,
and a word in the product on their next page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.coaching.models import Coaching, CoachingStatus, EndedBy
from followup.coaching.services import consent
from tests.factories import ApplicationFactory


@pytest.fixture
def coaching(owner, coach_comment):
    return Coaching.objects.get(coach=coach_comment, client=owner, status=CoachingStatus.ACTIVE)


def end_url(coaching):
    return reverse("coaching:end", args=[coaching.pk])


def test_revoking_asks_first_naming_the_coach_and_what_they_lose(client, owner, coaching):
    client.force_login(owner)
    settings_page = client.get(reverse("coaching:settings")).content.decode()
    # The settings page links to the confirmation; it no longer ends anything in one click.
    assert f'href="{end_url(coaching)}"' in settings_page

    response = client.get(end_url(coaching))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Revoke Cole Comment's access?" in page
    assert "comment.coach@example.com" in page
    assert "no longer see your applications" in page
    assert "comment on your letters" in page
    assert "private notes about you are deleted" in page
    coaching.refresh_from_db()
    assert coaching.status == CoachingStatus.ACTIVE  # looking is not ending


def test_revoking_tells_the_coach_by_email_over_smtp(
    client, owner, coaching, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(end_url(coaching))
    assert response.status_code == 302 and response["Location"] == reverse("coaching:settings")
    coaching.refresh_from_db()
    assert (coaching.status, coaching.ended_by) == (CoachingStatus.ENDED, EndedBy.CLIENT)

    [message] = smtp_server.wait_for(1, timeout=10)
    assert message.recipients == ["comment.coach@example.com"]
    assert message.subject == "Olivia Owner ended your access to their job search"
    day = f"{timezone.localdate():%-d %B %Y}"
    assert "ended your access to their applications" in message.text()
    assert day in message.text() and day in message.html()
    follow = client.get(reverse("coaching:settings")).content.decode()
    assert "Cole Comment no longer has access. They have been told by email." in follow


def test_the_former_coach_is_told_on_their_next_page(client, owner, coach_comment, coaching):
    application = ApplicationFactory(owner=owner)
    consent.coaching_end(coaching=coaching, by=owner)
    told = f"Olivia Owner ended your access on {timezone.localdate():%-d %b}."
    client.force_login(coach_comment)

    dashboard = client.get(reverse("coaching:dashboard")).content.decode()
    assert told in dashboard
    assert "No job seeker has given you access yet" in dashboard

    # Their old links answer 404 as for anyone, with the same word on the page.
    for path in [
        reverse("coaching:client", args=[owner.pk]),
        application.get_absolute_url(),
    ]:
        response = client.get(path)
        assert response.status_code == 404
        assert told in response.content.decode()
        assert application.organisation not in response.content.decode()


def test_the_not_found_page_says_the_same_whatever_the_address(
    client, owner, coach_comment, coaching
):
    """So it tells a former coach nothing about which ids still hold their client's data."""
    application = ApplicationFactory(owner=owner)
    consent.coaching_end(coaching=coaching, by=owner)
    client.force_login(coach_comment)
    existing = client.get(application.get_absolute_url())
    missing = client.get(reverse("applications:detail", args=[application.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert without_tokens(existing) == without_tokens(missing)


def without_tokens(response) -> str:
    """The page without its CSRF tokens, which are masked afresh on every response."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())


def test_the_word_goes_after_two_weeks_or_when_access_is_given_again(
    client, owner, coach_comment, coaching
):
    consent.coaching_end(coaching=coaching, by=owner)
    client.force_login(coach_comment)
    assert "ended your access" in client.get(reverse("coaching:dashboard")).content.decode()

    Coaching.objects.filter(pk=coaching.pk).update(ended_at=timezone.now() - timedelta(days=15))
    assert "ended your access" not in client.get(reverse("coaching:dashboard")).content.decode()

    Coaching.objects.filter(pk=coaching.pk).update(ended_at=timezone.now())
    invitation = consent.client_invites_coach(client=owner, email=coach_comment.email, level="view")
    consent.invitation_accept(coaching=invitation, user=coach_comment)
    assert "ended your access" not in client.get(reverse("coaching:dashboard")).content.decode()


def test_nobody_else_is_told(client, owner, coaching, coach_view, stranger):
    consent.coaching_end(coaching=coaching, by=owner)
    for person in (coach_view, stranger):
        client.force_login(person)
        response = client.get(reverse("coaching:client", args=[owner.pk]))
        assert "ended your access" not in response.content.decode()


def test_the_coach_steps_back_after_a_confirmation_and_the_client_is_told(
    client, owner, coach_comment, coaching, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(coach_comment)
    client_page = client.get(reverse("coaching:client", args=[owner.pk])).content.decode()
    assert f'href="{end_url(coaching)}"' in client_page

    confirm = client.get(end_url(coaching)).content.decode()
    assert "Stop coaching Olivia Owner?" in confirm
    assert "Your private notes about Olivia Owner are deleted." in confirm
    assert "is told by email" in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(end_url(coaching))
    assert response["Location"] == reverse("coaching:dashboard")
    coaching.refresh_from_db()
    assert (coaching.status, coaching.ended_by) == (CoachingStatus.ENDED, EndedBy.COACH)
    assert client.get(reverse("coaching:client", args=[owner.pk])).status_code == 404

    [message] = smtp_server.wait_for(1, timeout=10)
    assert message.recipients == [owner.email]
    assert message.subject == "Cole Comment stepped back as your coach"
    assert "next steps they set stay on your dashboard" in message.text()

    client.force_login(owner)
    settings_page = client.get(reverse("coaching:settings")).content.decode()
    assert "Cole Comment stepped back" in settings_page


def test_ending_twice_sends_one_email(
    client, owner, coaching, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(end_url(coaching))
        second = client.post(end_url(coaching), follow=True)
    assert "This had already ended." in second.content.decode()
    smtp_server.wait_for(1, timeout=10)
    assert len(smtp_server.messages) == 1


def test_cancelling_an_invitation_sends_no_email(
    client, owner, smtp_server, django_capture_on_commit_callbacks, settings
):
    invitation = consent.client_invites_coach(client=owner, email="new@example.com", level="view")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(end_url(invitation))
    invitation.refresh_from_db()
    assert invitation.status == CoachingStatus.ENDED
    assert smtp_server.messages == []
