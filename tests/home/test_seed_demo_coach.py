"""The demo coach: three clients at the three levels, a review waiting, one falling behind, an
application recorded for a client; safe to run twice, and ready to log in with."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from followup.accounts.models import User
from followup.applications.models import Application, FollowUp
from followup.coaching.models import AccessLogEntry, Coaching, CoachingStatus, Level
from followup.coaching.selectors import coach_dashboard
from followup.home.demo_caseload import CHLOE_EMAIL, COACH_EMAIL, SAM_EMAIL
from followup.home.management.commands.seed_demo import DEFAULT_PASSWORD, DEMO_EMAIL
from followup.letters.models import Letter


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True  # the default password is refused otherwise
    call_command("seed_demo")
    return User.objects.get(email=COACH_EMAIL)


def levels(coach) -> dict[str, str]:
    consents = Coaching.objects.active().filter(coach=coach)
    return dict(consents.values_list("client__email", "level"))


def test_the_coach_has_a_client_at_each_level(seeded):
    assert seeded.is_coach
    assert levels(seeded) == {
        DEMO_EMAIL: Level.COMMENT,
        CHLOE_EMAIL: Level.EDIT,
        SAM_EMAIL: Level.VIEW,
    }
    # Chloe lives far from her coach: her days are not the coach's.
    assert User.objects.get(email=CHLOE_EMAIL).time_zone != seeded.time_zone


def test_a_review_waits_for_the_coach(seeded):
    [waiting] = Letter.objects.filter(review_requested_at__isnull=False)
    assert waiting.application.owner.email == DEMO_EMAIL
    assert not waiting.is_sent


def test_one_client_at_view_level_is_falling_behind(seeded):
    sam = User.objects.get(email=SAM_EMAIL)
    overdue = FollowUp.objects.filter(application__owner=sam).still_due()
    assert overdue.filter(due_on__lt=sam.today()).count() >= 2
    behind = coach_dashboard(coach=seeded, behind=True)
    assert sam.pk in {row.coaching.client_id for row in behind.rows}


def test_the_coach_recorded_an_application_for_the_edit_level_client(seeded):
    chloe = User.objects.get(email=CHLOE_EMAIL)
    [added] = Application.objects.filter(created_by=seeded)
    assert added.owner == chloe
    assert added.applied_on == chloe.today() - timedelta(days=1)
    # Everything else is the clients' own, and every pending follow-up has its reminder time.
    assert not FollowUp.objects.pending().filter(remind_at__isnull=True).exists()


def test_running_twice_leaves_the_same_caseload(seeded, client):
    client.force_login(seeded)
    client.get(reverse("coaching:client", args=[User.objects.get(email=SAM_EMAIL).pk]))
    assert AccessLogEntry.objects.filter(coach=seeded).exists()
    before = (
        levels(seeded),
        Application.objects.count(),
        FollowUp.objects.count(),
        Letter.objects.filter(review_requested_at__isnull=False).count(),
    )

    call_command("seed_demo")

    assert (
        levels(seeded),
        Application.objects.count(),
        FollowUp.objects.count(),
        Letter.objects.filter(review_requested_at__isnull=False).count(),
    ) == before
    assert Coaching.objects.filter(coach=seeded).count() == 3
    assert not Coaching.objects.exclude(status=CoachingStatus.ACTIVE).exists()
    # A reset: what the coach looked at before is forgotten with the data it was about.
    assert not AccessLogEntry.objects.filter(coach=seeded).exists()
    assert User.objects.filter(email__in=[COACH_EMAIL, CHLOE_EMAIL, SAM_EMAIL]).count() == 3


def test_the_coach_logs_in_and_sees_the_clients(seeded, client):
    assert EmailAddress.objects.filter(user=seeded, verified=True, primary=True).exists()
    assert client.login(email=COACH_EMAIL, password=DEFAULT_PASSWORD)
    page = client.get(reverse("coaching:dashboard"))
    assert page.status_code == 200
    for name in ("Jordan Ellis", "Chloe Martin", "Sam Okoye"):
        assert name in page.text


def test_it_prints_both_logins(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_EMAIL in out and COACH_EMAIL in out and DEFAULT_PASSWORD in out
    assert "Sam Okoye <sam@followup.example>, view: overdue follow-ups 2, reviews waiting 0" in out
    assert (
        "Chloe Martin <chloe@followup.example>, view, comment and edit: overdue follow-ups 0" in out
    )
    jordan = "Jordan Ellis <demo@followup.example>, view and comment: overdue follow-ups"
    assert f"{jordan} 1, reviews waiting 1" in out
