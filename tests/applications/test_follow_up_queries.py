"""The follow-up filters every page and email shares, each under one name."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followup.applications.models import FollowUp, FollowUpStatus, Status
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def follow_up(application, **fields):
    return FollowUp.objects.create(
        application=application, kind="follow_up", due_on=application.owner.today(), **fields
    )


def test_still_due_is_pending_on_an_open_application(owner):
    open_one = ApplicationFactory(owner=owner, status=Status.OFFER)
    closed = ApplicationFactory(owner=owner, status=Status.WITHDRAWN)
    due = follow_up(open_one)
    follow_up(open_one, status=FollowUpStatus.DONE)
    follow_up(closed)
    assert list(FollowUp.objects.still_due()) == [due]


def test_remindable_leaves_out_muted_applications(owner):
    due = follow_up(ApplicationFactory(owner=owner))
    follow_up(ApplicationFactory(owner=owner, reminders_muted=True))
    assert list(FollowUp.objects.remindable()) == [due]


def test_unclaimed_due_is_what_the_sweep_may_claim_now(owner):
    now = timezone.now()
    application = ApplicationFactory(owner=owner)
    due = follow_up(application, remind_at=now - timedelta(minutes=1))
    follow_up(application, remind_at=now + timedelta(minutes=1))
    follow_up(application, remind_at=None)
    follow_up(application, remind_at=now, status=FollowUpStatus.SKIPPED)
    assert list(FollowUp.objects.unclaimed_due(now)) == [due]
