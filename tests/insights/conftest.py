"""Helpers to build a history with the dates chosen: applications, events and letters."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from followup.applications.models import ApplicationEvent, EventKind
from tests.factories import ApplicationFactory, LetterFactory


@pytest.fixture
def days_ago(owner):
    """A date, or with `at=True` noon UTC on it, that many days before the owner's today."""
    today = owner.today()

    def _days_ago(n: int, *, at: bool = False):
        day = today - timedelta(days=n)
        # Noon UTC falls on the same date in London, winter or summer.
        return datetime.combine(day, time(12), tzinfo=UTC) if at else day

    return _days_ago


def application(owner, history, *, started):
    """An application whose statuses were `history` (first one at `started`, a datetime), each
    later one a status event at the datetime paired with it: [("applied", None), ("offer", dt)]."""
    (first, _), *changes = history
    app = ApplicationFactory(
        owner=owner,
        status=history[-1][0],
        created_at=started,
        applied_on=timezone.localtime(started, owner.zone).date(),
    )
    ApplicationEvent.objects.create(
        application=app, kind=EventKind.CREATED, to_status=first, occurred_at=started
    )
    previous = first
    for status, when in changes:
        ApplicationEvent.objects.create(
            application=app,
            kind=EventKind.STATUS,
            from_status=previous,
            to_status=status,
            occurred_at=when,
        )
        previous = status
    return app


def reply(app, when):
    return ApplicationEvent.objects.create(application=app, kind=EventKind.REPLY, occurred_at=when)


def letter(app, *, sent_on, kind="thank_you", gift=False):
    made = LetterFactory(application=app, kind=kind, sent_on=sent_on)
    if gift:
        from followup.letters.models import Gift

        Gift.objects.create(letter=made, kind="link", url="https://example.com/idea")
    return made
