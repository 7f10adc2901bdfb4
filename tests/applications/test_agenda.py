"""Working the plan from a list: Done, Skip and Snooze on a due row (htmx or plain forms), and
the agenda page that lists everything planned by week."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications import services
from followup.applications.agenda import agenda_for
from followup.applications.models import FollowUp, FollowUpStatus
from followup.coaching.models import AccessAction, AccessLogEntry, Level
from followup.reminders.models import Reminder
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, status="interviewing", position="Data Engineer")


def plan(application, days_from_today, **fields):
    return FollowUp.objects.create(
        application=application,
        kind=fields.pop("kind", "follow_up"),
        step=fields.pop("step", 1),
        due_on=application.owner.today() + timedelta(days=days_from_today),
        **fields,
    )


def url(name, follow_up):
    return reverse(f"applications:follow_up_{name}", args=[follow_up.pk])


# --- The plan services ------------------------------------------------------------------------


def test_done_without_a_letter_settles_it_and_plans_the_next_step(owner, application):
    follow_up = plan(application, -3)
    following = services.follow_up_complete(follow_up=follow_up, on=date(2026, 11, 30))
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.letter) == (FollowUpStatus.DONE, None)
    assert following.step == 2 and following.due_on > date(2026, 11, 30)
    assert following.remind_at is not None


def test_snooze_moves_the_day_and_recomputes_the_reminder(owner, application):
    follow_up = plan(application, -2)
    services.follow_up_snooze(follow_up=follow_up, until=follow_up.due_on)  # reminder for it
    reminder = Reminder.objects.create(
        recipient=owner,
        local_date=owner.today(),
        slot="morning",
        message_id=f"<r.{owner.pk}@followup.test>",
    )
    FollowUp.objects.filter(pk=follow_up.pk).update(reminder=reminder)
    until = owner.today() + timedelta(days=9)

    assert services.follow_up_snooze(follow_up=follow_up, until=until)

    follow_up.refresh_from_db()
    assert follow_up.due_on == until
    # The email that covered the old day does not count for the new one.
    assert follow_up.reminder is None
    reminder_day = timezone.localtime(follow_up.remind_at, owner.zone).date()
    assert reminder_day >= until


def test_snooze_leaves_a_settled_follow_up_alone(owner, application):
    follow_up = plan(application, -2)
    services.follow_up_skip(follow_up=follow_up, today=owner.today())
    assert not services.follow_up_snooze(follow_up=follow_up, until=owner.today() + timedelta(3))
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.SKIPPED


@pytest.mark.parametrize(
    ("today", "due_on", "expected"),
    [
        (date(2026, 12, 4), date(2026, 12, 1), date(2026, 12, 7)),  # Friday, overdue -> Monday
        (date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 2)),  # Tuesday -> Wednesday
        (date(2026, 12, 1), date(2026, 12, 10), date(2026, 12, 11)),  # ahead: a day after it
    ],
)
def test_snooze_by_default_goes_to_the_next_business_day(today, due_on, expected):
    assert services.snooze_default(FollowUp(due_on=due_on), today) == expected


# --- The views: htmx and plain forms --------------------------------------------------------------


def test_done_by_htmx_replaces_the_row_with_a_confirmation(owner_client, application):
    follow_up = plan(application, -8)
    response = owner_client.post(url("done", follow_up), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<li") and 'role="status"' in body
    assert "Marked done. The next follow-up is due" in body
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    assert FollowUp.objects.filter(status="pending", step=2).count() == 1


def test_done_without_js_redirects_back_with_a_message(owner_client, application):
    follow_up = plan(application, -8)
    response = owner_client.post(url("done", follow_up), {"next": "/"})
    assert (response.status_code, response["Location"]) == (302, "/")
    page = owner_client.get("/")
    assert b"Marked done." in page.content


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "", "0", "a:b"])
def test_a_foreign_next_falls_back_to_the_application(owner_client, application, next_url):
    follow_up = plan(application, -1)
    response = owner_client.post(url("skip", follow_up), {"next": next_url})
    assert response["Location"] == application.get_absolute_url()


def test_snooze_without_a_date_goes_to_the_next_business_day_of_the_owner(
    owner_client, owner, application
):
    follow_up = plan(application, -8)
    response = owner_client.post(url("snooze", follow_up), **HTMX)
    follow_up.refresh_from_db()
    assert follow_up.due_on == services.snooze_default(
        FollowUp(due_on=owner.today() - timedelta(8)), owner.today()
    )
    assert "Snoozed to" in response.content.decode()


def test_snooze_to_a_chosen_day(owner_client, owner, application):
    follow_up = plan(application, 0)
    until = owner.today() + timedelta(days=12)
    response = owner_client.post(
        url("snooze", follow_up), {"until": until.isoformat(), "next": "/"}
    )
    assert response["Location"] == "/"
    follow_up.refresh_from_db()
    assert follow_up.due_on == until


@pytest.mark.parametrize("days", [0, -1])
def test_snooze_refuses_today_and_the_past(owner_client, owner, application, days):
    follow_up = plan(application, -3)
    until = (owner.today() + timedelta(days=days)).isoformat()
    plain = owner_client.post(url("snooze", follow_up), {"until": until, "next": "/"}, follow=True)
    assert b"Not snoozed: Choose a day after today." in plain.content
    htmx = owner_client.post(url("snooze", follow_up), {"until": until}, **HTMX)
    assert htmx["HX-Refresh"] == "true"
    follow_up.refresh_from_db()
    assert follow_up.due_on == owner.today() - timedelta(3)


@pytest.mark.parametrize("action", ["done", "skip", "snooze"])
def test_acting_twice_changes_nothing_the_second_time(owner_client, application, action):
    follow_up = plan(application, -1)
    owner_client.post(url(action, follow_up), **HTMX)
    rows = sorted(FollowUp.objects.values_list("pk", "status", "due_on"))
    if action == "snooze":
        services.follow_up_skip(follow_up=follow_up, today=date.today())
        rows = sorted(FollowUp.objects.values_list("pk", "status", "due_on"))
    second = owner_client.post(url(action, follow_up), **HTMX)
    assert "already settled" in second.content.decode()
    assert sorted(FollowUp.objects.values_list("pk", "status", "due_on")) == rows


def test_dates_are_the_owners_whoever_clicks(owner, application):
    """A coach in Tokyo (already tomorrow there) snoozes for a client in Honolulu."""
    owner.time_zone = "Pacific/Honolulu"
    owner.save()
    coach = make_coach(email="tokyo.coach@example.com", time_zone="Asia/Tokyo")
    coaching_between(coach, owner, Level.EDIT)
    follow_up = plan(application, -1)
    from django.test import Client

    client = Client()
    client.force_login(coach)
    client.post(url("snooze", follow_up))
    follow_up.refresh_from_db()
    assert follow_up.due_on == services.snooze_default(
        FollowUp(due_on=owner.today() - timedelta(1)), owner.today()
    )
    entry = AccessLogEntry.objects.get(coach=coach, client=owner)
    assert entry.action == AccessAction.EDITED


def test_a_view_level_coach_sees_no_buttons_and_is_refused(client, owner, application):
    coach = make_coach(email="view.coach@example.com")
    coaching_between(coach, owner, Level.VIEW)
    follow_up = plan(application, -2)
    client.force_login(coach)
    page = client.get(reverse("coaching:client", args=[owner.pk])).content.decode()
    assert "Data Engineer" in page and "2 days late" in page
    assert url("snooze", follow_up) not in page
    for action in ("done", "skip", "snooze"):
        assert client.post(url(action, follow_up), **HTMX).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.PENDING


def test_an_edit_level_coach_gets_the_buttons_and_the_change_is_logged(client, owner, application):
    coach = make_coach(email="edit.coach@example.com")
    coaching_between(coach, owner, Level.EDIT)
    follow_up = plan(application, -2)
    client.force_login(coach)
    page = client.get(reverse("coaching:client", args=[owner.pk])).content.decode()
    assert url("done", follow_up) in page
    assert client.post(url("done", follow_up), **HTMX).status_code == 200
    assert AccessLogEntry.objects.filter(
        coach=coach, client=owner, action=AccessAction.EDITED, what__startswith="follow up"
    ).exists()


def test_a_stranger_gets_not_found(stranger_client, application):
    follow_up = plan(application, -2)
    for action in ("done", "skip", "snooze"):
        assert stranger_client.post(url(action, follow_up)).status_code == 404


# --- The dashboard rows ------------------------------------------------------------------


def test_dashboard_rows_say_how_late_and_carry_the_actions(owner_client, application):
    late = plan(application, -8)
    plan(application, -1)
    body = owner_client.get("/").content.decode()
    assert "8 days late" in body and "1 day late" in body
    for action in ("done", "skip", "snooze"):
        assert f'hx-post="{url(action, late)}"' in body
    assert 'id="overdue-badge" class="badge text-bg-danger">2<' in body


def test_the_overdue_badge_shows_only_when_something_is_late(owner_client, application):
    plan(application, 0)
    body = owner_client.get("/").content.decode()
    assert 'id="overdue-badge" class="badge text-bg-danger" hidden>0<' in body


def test_an_htmx_answer_brings_the_new_overdue_count(owner_client, application):
    first, second = plan(application, -3), plan(application, -2)
    body = owner_client.post(url("skip", first), **HTMX).content.decode()
    assert 'id="overdue-badge" class="badge text-bg-danger" hx-swap-oob="true">1<' in body
    body = owner_client.post(url("snooze", second), **HTMX).content.decode()
    assert 'hx-swap-oob="true" hidden>0<' in body


# --- The agenda -------------------------------------------------------------------------------


def test_agenda_groups_by_week_with_overdue_and_later(owner, application, monkeypatch):
    wednesday = date(2026, 12, 2)
    monkeypatch.setattr(owner, "today", lambda: wednesday)
    ada = ContactFactory(owner=owner, name="Ada Park")

    def on(day, **fields):
        return FollowUp.objects.create(
            application=application, kind="follow_up", step=1, due_on=day, contact=ada, **fields
        )

    overdue = on(date(2026, 11, 24))
    today = on(wednesday)
    sunday = on(date(2026, 12, 6))
    monday = on(date(2026, 12, 7))
    last_day = on(wednesday + timedelta(days=30))  # 1 Jan: still in the 30 days
    later = on(wednesday + timedelta(days=31))
    on(date(2026, 12, 3), status="skipped")  # settled: not planned
    closed = ApplicationFactory(owner=owner, status="hired")
    FollowUp.objects.create(application=closed, kind="follow_up", step=1, due_on=wednesday)
    FollowUp.objects.create(
        application=ApplicationFactory(status="applied"), kind="follow_up", due_on=wednesday
    )  # someone else's

    agenda = agenda_for(owner)

    assert agenda.overdue == [overdue]
    assert [(w.start, w.follow_ups) for w in agenda.weeks] == [
        (date(2026, 11, 30), [today, sunday]),
        (date(2026, 12, 7), [monday]),
        (date(2026, 12, 28), [last_day]),
    ]
    assert agenda.later == [later]
    assert agenda.this_week == date(2026, 11, 30)


def test_agenda_page_shows_weeks_in_the_owners_days(owner_client, owner, application):
    plan(application, -8)
    plan(application, 0)
    plan(application, 7)
    plan(application, 45)
    body = owner_client.get(reverse("applications:agenda")).content.decode()
    monday = owner.today() - timedelta(days=owner.today().weekday())
    assert f"Week of {monday.day} {monday:%b}" in body
    assert "Overdue" in body and "8 days late" in body and "Later" in body
    assert body.count('class="follow-up-actions') == 4


def test_agenda_is_only_ones_own_plan(client, owner, application):
    coach = make_coach(email="edit.coach@example.com")
    coaching_between(coach, owner, Level.EDIT)
    plan(application, 1)
    client.force_login(coach)
    response = client.get(reverse("applications:agenda"))
    assert response.context["agenda"].is_empty
    assert b"Nothing is planned" in response.content


def test_agenda_asks_a_visitor_to_log_in(client):
    response = client.get(reverse("applications:agenda"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("count", [3, 300])
def test_agenda_runs_the_same_queries_however_much_is_planned(
    owner_client, owner, count, django_assert_num_queries
):
    contact = ContactFactory(owner=owner)
    applications = ApplicationFactory.create_batch(count, owner=owner, status="interviewing")
    FollowUp.objects.bulk_create(
        FollowUp(
            application=application,
            kind="follow_up",
            step=1,
            contact=contact,
            due_on=owner.today() + timedelta(days=index % 50 - 10),
        )
        for index, application in enumerate(applications)
    )
    # 1. the session, 2. the user, 3. the planned follow-ups with their application, contact
    # and interview (one join).
    with django_assert_num_queries(3):
        response = owner_client.get(reverse("applications:agenda"))
    agenda = response.context["agenda"]
    assert (
        len(agenda.overdue) + sum(len(w.follow_ups) for w in agenda.weeks) + len(agenda.later)
        == count
    )


def test_a_far_east_owner_is_already_in_tomorrow(owner_client, owner, application):
    owner.time_zone = "Pacific/Kiritimati"
    owner.save()
    follow_up = plan(application, 0)
    agenda = agenda_for(owner)
    assert agenda.today == timezone.localtime(timezone.now(), ZoneInfo("Pacific/Kiritimati")).date()
    assert [f for w in agenda.weeks for f in w.follow_ups] == [follow_up]
