"""The demo data: built through the services, safe to run twice, and ready to log in with."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from followup.accounts.models import User
from followup.applications.models import (
    Application,
    ApplicationEvent,
    FollowUp,
    FollowUpStatus,
    Status,
)
from followup.contacts.models import Contact
from followup.home.management.commands.seed_demo import DEFAULT_PASSWORD, DEMO_EMAIL
from followup.interviews.models import Interview, Interviewer
from followup.letters.models import Gift, GiftKind, Letter
from followup.reminders.models import Reminder

MODELS = [Application, ApplicationEvent, Interview, Interviewer, FollowUp, Contact, Letter, Gift]


@pytest.fixture
def debug(settings):
    # The default password is refused outside DEBUG (see test_default_password_needs_debug).
    settings.DEBUG = True


def counts() -> dict[str, int]:
    counted = {model.__name__: model.objects.count() for model in MODELS}
    counted["User"] = User.objects.filter(email=DEMO_EMAIL).count()
    counted["EmailAddress"] = EmailAddress.objects.filter(email=DEMO_EMAIL).count()
    return counted


@pytest.fixture
def seeded(db, debug):
    call_command("seed_demo")
    return User.objects.get(email=DEMO_EMAIL)


def pipeline(user) -> set[tuple]:
    return set(
        FollowUp.objects.filter(application__owner=user).values_list(
            "application__organisation", "application__status", "kind", "status", "due_on"
        )
    )


def test_running_twice_leaves_the_same_data(seeded):
    first, first_pipeline = counts(), pipeline(seeded)
    call_command("seed_demo")
    assert counts() == first
    assert pipeline(seeded) == first_pipeline
    assert first["Application"] >= 12 and first["Contact"] >= 10


def test_a_reset_forgets_the_reminders_already_sent(seeded):
    # Otherwise today's reminder would stand for the fresh follow-ups and none would be sent.
    Reminder.objects.create(
        recipient=seeded, local_date=seeded.today(), slot="morning", message_id="<demo@test>"
    )
    call_command("seed_demo")
    assert not Reminder.objects.filter(recipient=seeded).exists()


def test_pending_follow_ups_have_a_reminder_time(seeded):
    # The plan went through the services, which schedule each follow-up's reminder.
    pending = FollowUp.objects.filter(application__owner=seeded).pending()
    assert not pending.filter(remind_at__isnull=True).exists()


def test_seeding_leaves_other_people_alone(db, debug, owner):
    Contact.objects.create(owner=owner, name="Someone Else")
    call_command("seed_demo")
    call_command("seed_demo")
    assert Contact.objects.filter(owner=owner).count() == 1


def test_every_status_is_in_the_pipeline(seeded):
    statuses = set(Application.objects.filter(owner=seeded).values_list("status", flat=True))
    assert statuses == set(Status.values)


def test_follow_ups_are_overdue_due_today_and_upcoming(seeded):
    today = seeded.today()
    pending = FollowUp.objects.filter(application__owner=seeded).pending()
    assert pending.filter(due_on__lt=today).exists()
    assert pending.filter(due_on=today).exists()
    assert pending.filter(due_on__gt=today).exists()
    # The services closed the plans of finished applications.
    assert not pending.filter(application__status__in=["hired", "eliminated", "withdrawn"]).exists()
    assert FollowUp.objects.filter(
        application__owner=seeded, status=FollowUpStatus.CANCELLED
    ).exists()


def test_interviews_in_the_past_and_one_ahead(seeded):
    interviews = Interview.objects.filter(application__owner=seeded)
    today = seeded.today()
    assert sum(i.local_date(seeded.zone) > today for i in interviews) == 1
    assert sum(i.local_date(seeded.zone) < today for i in interviews) >= 5
    assert Interviewer.objects.filter(interview__in=interviews).exclude(cares_about="").exists()


def test_letters_a_complete_sent_thank_you_a_draft_and_gifts(seeded):
    letters = Letter.objects.filter(application__owner=seeded)
    complete = letters.sent().filter(kind="thank_you").exclude(appreciation="")
    complete = complete.exclude(still_interested="").exclude(great_fit="").exclude(availability="")
    assert complete.exists()
    letter = complete.first()
    for part in (letter.appreciation, letter.still_interested, letter.great_fit):
        assert part in letter.body
    assert letters.drafts().exists()
    gifts = Gift.objects.filter(letter__application__owner=seeded)
    assert {GiftKind.LINK, GiftKind.LIST, GiftKind.INTRODUCTION} <= set(
        gifts.values_list("kind", flat=True)
    )
    assert not gifts.filter(inspiration="").exists()


def test_demo_person_can_log_in(seeded, client):
    assert seeded.time_zone == "Europe/London"
    assert EmailAddress.objects.filter(user=seeded, verified=True, primary=True).exists()
    assert client.login(email=DEMO_EMAIL, password=DEFAULT_PASSWORD)


def test_it_prints_how_to_log_in(db, debug, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/accounts/login/" in out
    assert DEMO_EMAIL in out and DEFAULT_PASSWORD in out


def test_default_password_needs_debug(db, settings, client):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(email=DEMO_EMAIL).exists()
    call_command("seed_demo", password="a-chosen-password-42")
    assert client.login(email=DEMO_EMAIL, password="a-chosen-password-42")
