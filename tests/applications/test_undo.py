"""Undoing a Done, Skip or Snooze puts the plan back exactly as it was (followup/applications/
undoing.py): the follow-up's status, due day and reminder bookkeeping, the follow-ups the action
planned gone, and the calendar told of it by a higher revision."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followup.applications import services, undoing
from followup.applications.models import FollowUp, FollowUpKind, PlanChange
from followup.calendars.entries import follow_up_entry
from followup.reminders.models import Reminder
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, status="interviewing")


def planned(application, *, kind=FollowUpKind.FOLLOW_UP, step=1, days=-2, contact=None):
    """A follow-up planned through the services' own reminder schedule."""
    follow_up = FollowUp.objects.create(
        application=application,
        kind=kind,
        step=step,
        contact=contact,
        due_on=application.owner.today() + timedelta(days=days),
    )
    services.reminder_schedule.refresh(FollowUp.objects.filter(pk=follow_up.pk))
    follow_up.refresh_from_db()
    return follow_up


def plan_of(application) -> dict:
    """Every follow-up of the application, every field but the revision counters."""
    fields = [f.attname for f in FollowUp._meta.concrete_fields]
    fields = [name for name in fields if name not in ("revision", "revised_at")]
    rows = FollowUp.objects.filter(application=application).values(*fields)
    return {row["id"]: row for row in rows}


def revision(follow_up) -> int:
    return FollowUp.objects.get(pk=follow_up.pk).revision


def test_undoing_a_done_that_planned_the_next_follow_up(application, owner):
    ada = ContactFactory(owner=owner)
    first = planned(application, contact=ada)
    before, revision_before = plan_of(application), revision(first)

    change = undoing.follow_up_mark_done(follow_up=first, by=owner)

    following = undoing.planned_by(change)
    assert following is not None and (following.step, following.contact) == (2, ada)
    assert FollowUp.objects.get(pk=first.pk).status == "done"
    revision_done = revision(first)
    assert revision_done > revision_before

    restored = undoing.plan_change_undo(change=change, by=owner)

    assert restored.pk == first.pk and restored.status == "pending"
    assert plan_of(application) == before  # the next follow-up is gone, the first as it was
    assert not FollowUp.objects.filter(pk=following.pk).exists()
    # The calendar sees one more change, not a step back to an old number.
    assert revision(first) > revision_done
    entry = follow_up_entry(FollowUp.objects.select_related("application").get(pk=first.pk))
    assert entry.status == "CONFIRMED" and entry.sequence > revision_done
    assert PlanChange.objects.get(pk=change.pk).undone_at is not None


def test_undoing_a_done_when_the_cadence_was_already_planned(application, owner):
    # Two interviewers' thank-yous: the first done planned step 1, the second plans nothing.
    ada, ben = ContactFactory(owner=owner), ContactFactory(owner=owner)
    planned(application, kind=FollowUpKind.THANK_YOU, step=0, contact=ada)
    second = planned(application, kind=FollowUpKind.THANK_YOU, step=0, contact=ben)
    planned(application, step=1, days=7, contact=ada)
    before = plan_of(application)

    change = undoing.follow_up_mark_done(follow_up=second, by=owner)
    assert change.planned == {} and undoing.planned_by(change) is None
    undoing.plan_change_undo(change=change, by=owner)

    assert plan_of(application) == before


def test_undoing_a_skip(application, owner):
    thank_you = planned(application, kind=FollowUpKind.THANK_YOU, step=0, days=-1)
    before = plan_of(application)

    change = undoing.follow_up_mark_skipped(follow_up=thank_you, by=owner)
    following = undoing.planned_by(change)
    assert following.step == 1 and FollowUp.objects.get(pk=thank_you.pk).status == "skipped"
    assert change.before == {
        str(thank_you.pk): {"status": "pending", "completed_at": None},
    }

    undoing.plan_change_undo(change=change, by=owner)

    assert plan_of(application) == before
    assert not FollowUp.objects.filter(pk=following.pk).exists()


def test_undoing_a_snooze_gives_back_the_day_and_the_reminder_that_covered_it(application, owner):
    late = planned(application, days=-3)
    # Its reminder already went out (the sweep claimed it): that bookkeeping comes back too.
    sent = Reminder.objects.create(
        recipient=owner, local_date=owner.today(), slot="morning", message_id="<undo@test>"
    )
    FollowUp.objects.filter(pk=late.pk).update(reminder=sent)
    before = plan_of(application)
    assert before[late.pk]["remind_at"] is not None

    until = owner.today() + timedelta(days=3)
    change = undoing.follow_up_move(follow_up=late, until=until, by=owner)
    moved = FollowUp.objects.get(pk=late.pk)
    assert (moved.due_on, moved.reminder_id) == (until, None)
    assert moved.remind_at != before[late.pk]["remind_at"]

    undoing.plan_change_undo(change=change, by=owner)

    assert plan_of(application) == before


def test_a_change_is_undone_once(application, owner):
    change = undoing.follow_up_mark_done(follow_up=planned(application), by=owner)
    undoing.plan_change_undo(change=change, by=owner)
    after_undo = plan_of(application)
    with pytest.raises(undoing.CannotUndo, match="undone already"):
        undoing.plan_change_undo(change=change, by=owner)
    assert plan_of(application) == after_undo


def test_too_late_to_undo_after_the_window(application, owner):
    change = undoing.follow_up_mark_skipped(follow_up=planned(application), by=owner)
    skipped = plan_of(application)
    later = change.made_at + undoing.UNDO_WINDOW + timedelta(seconds=1)
    with pytest.raises(undoing.CannotUndo, match="Too late"):
        undoing.plan_change_undo(change=change, by=owner, now=later)
    assert plan_of(application) == skipped
    # Just inside the window it still works.
    undoing.plan_change_undo(change=change, by=owner, now=change.made_at + undoing.UNDO_WINDOW)


def test_not_undone_when_the_planned_follow_up_was_acted_on_since(application, owner):
    change = undoing.follow_up_mark_done(follow_up=planned(application), by=owner)
    following = undoing.planned_by(change)
    services.follow_up_snooze(follow_up=following, until=following.due_on + timedelta(days=2))
    moved_on = plan_of(application)
    with pytest.raises(undoing.CannotUndo, match="changed since"):
        undoing.plan_change_undo(change=change, by=owner)
    assert plan_of(application) == moved_on


def test_not_undone_when_a_letter_was_started_for_the_planned_follow_up(application, owner):
    ada = ContactFactory(owner=owner)
    change = undoing.follow_up_mark_done(follow_up=planned(application, contact=ada), by=owner)
    following = undoing.planned_by(change)
    LetterFactory(application=application, contact=ada, follow_up=following)
    with pytest.raises(undoing.CannotUndo):
        undoing.plan_change_undo(change=change, by=owner)
    assert FollowUp.objects.filter(pk=following.pk).exists()


def test_nothing_is_recorded_for_a_follow_up_already_settled(application, owner):
    first = planned(application)
    services.follow_up_skip(follow_up=first)
    assert undoing.follow_up_mark_done(follow_up=first, by=owner) is None
    assert not PlanChange.objects.exists()


def test_someone_who_may_not_edit_can_neither_act_nor_undo(application, owner, stranger):
    first = planned(application)
    with pytest.raises(PermissionDenied):
        undoing.follow_up_mark_done(follow_up=first, by=stranger)
    assert FollowUp.objects.get(pk=first.pk).status == "pending"
    change = undoing.follow_up_mark_done(follow_up=first, by=owner)
    with pytest.raises(PermissionDenied):
        undoing.plan_change_undo(change=change, by=stranger)
    assert FollowUp.objects.get(pk=first.pk).status == "done"


def test_changes_past_their_window_are_cleared_as_the_plan_changes(application, owner):
    old = undoing.follow_up_mark_skipped(follow_up=planned(application), by=owner)
    PlanChange.objects.filter(pk=old.pk).update(
        made_at=timezone.now() - undoing.UNDO_WINDOW - timedelta(minutes=1)
    )
    new = undoing.follow_up_mark_done(follow_up=planned(application, days=1), by=owner)
    assert list(PlanChange.objects.values_list("pk", flat=True)) == [new.pk]


# --- The views: the Undo in the row's confirmation, and in the message without JS -----------

HTMX = {"HTTP_HX_REQUEST": "true"}


def act(client, action: str, follow_up, **extra):
    return client.post(
        reverse(f"applications:follow_up_{action}", args=[follow_up.pk]), {"next": "/"}, **extra
    )


def undo_url(change) -> str:
    return reverse("applications:plan_change_undo", args=[change.pk])


@pytest.mark.parametrize("action", ["done", "skip", "snooze"])
def test_the_confirmation_row_offers_undo(owner_client, application, action):
    follow_up = planned(application)
    response = act(owner_client, action, follow_up, **HTMX)
    change = PlanChange.objects.get(follow_up=follow_up)
    body = response.content.decode()
    assert f'hx-post="{undo_url(change)}"' in body
    assert f"hx-select='[data-follow-up-row=\"{follow_up.pk}\"]'" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert '<input type="hidden" name="next" value="/">' in body


def test_undo_by_htmx_answers_with_the_page_the_restored_row_is_taken_from(
    owner_client, application
):
    follow_up = planned(application)
    act(owner_client, "done", follow_up, **HTMX)
    change = PlanChange.objects.get(follow_up=follow_up)

    response = owner_client.post(undo_url(change), {"next": "/"}, **HTMX, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert f'data-follow-up-row="{follow_up.pk}"' in response.content.decode()
    assert FollowUp.objects.get(pk=follow_up.pk).status == "pending"
    assert FollowUp.objects.filter(application=application).count() == 1


def test_without_js_the_message_carries_the_undo_form_and_undo_comes_back(
    owner_client, application
):
    follow_up = planned(application)
    act(owner_client, "skip", follow_up)
    change = PlanChange.objects.get(follow_up=follow_up)
    page = owner_client.get("/").content.decode()
    assert "Skipped." in page
    assert f'<form method="post" action="{undo_url(change)}"' in page

    response = owner_client.post(undo_url(change), {"next": "/"})

    assert (response.status_code, response["Location"]) == (302, "/")
    assert "Undone: the follow-up is back." in owner_client.get("/").content.decode()
    assert FollowUp.objects.get(pk=follow_up.pk).status == "pending"


def test_a_refused_undo_says_why_in_place_of_the_row(owner_client, application):
    follow_up = planned(application)
    act(owner_client, "done", follow_up, **HTMX)
    change = PlanChange.objects.get(follow_up=follow_up)
    PlanChange.objects.filter(pk=change.pk).update(made_at=timezone.now() - timedelta(hours=1))

    response = owner_client.post(undo_url(change), {"next": "/"}, **HTMX)

    assert response.status_code == 200 and response["HX-Reselect"] == "unset"
    assert "Too late to undo" in response.content.decode()
    assert FollowUp.objects.get(pk=follow_up.pk).status == "done"


def test_undo_is_post_only_and_nobody_elses(owner_client, stranger, application):
    follow_up = planned(application)
    act(owner_client, "done", follow_up)
    change = PlanChange.objects.get(follow_up=follow_up)
    assert owner_client.get(undo_url(change)).status_code == 405
    stranger_client = Client()
    stranger_client.force_login(stranger)
    assert stranger_client.post(undo_url(change), {"next": "/"}).status_code == 404
    assert FollowUp.objects.get(pk=follow_up.pk).status == "done"


@pytest.mark.parametrize("page", ["dashboard", "agenda", "application"])
def test_every_page_with_the_buttons_gives_the_restored_row_to_take(
    owner_client, application, page
):
    follow_up = planned(application)
    back_to = {
        "dashboard": "/",
        "agenda": reverse("applications:agenda"),
        "application": application.get_absolute_url(),
    }[page]
    owner_client.post(
        reverse("applications:follow_up_skip", args=[follow_up.pk]), {"next": back_to}, **HTMX
    )
    change = PlanChange.objects.get(follow_up=follow_up)

    response = owner_client.post(undo_url(change), {"next": back_to}, **HTMX, follow=True)

    assert response.redirect_chain == [(back_to, 302)]
    body = response.content.decode()
    assert f'data-follow-up-row="{follow_up.pk}"' in body
    assert reverse("applications:follow_up_skip", args=[follow_up.pk]) in body


def test_skip_on_the_application_page_comes_back_with_its_undo(owner_client, application):
    # The plan there is plain forms: the message carries the Undo, which comes back there too.
    follow_up = planned(application)
    response = owner_client.post(reverse("applications:follow_up_skip", args=[follow_up.pk]))
    assert response["Location"] == application.get_absolute_url()
    change = PlanChange.objects.get(follow_up=follow_up)
    page = owner_client.get(application.get_absolute_url()).content.decode()
    assert f'action="{undo_url(change)}"' in page
    assert f'name="next" value="{application.get_absolute_url()}"' in page
    response = owner_client.post(undo_url(change), {"next": application.get_absolute_url()})
    assert response["Location"] == application.get_absolute_url()
    assert FollowUp.objects.get(pk=follow_up.pk).status == "pending"


def test_follow_ups_an_action_cancelled_come_back(application, owner):
    # No action cancels others today; were one to (as closing does), what it cancelled is read
    # from the rows like the rest, and restored.
    first = planned(application)
    other = planned(application, kind=FollowUpKind.THANK_YOU, step=0, days=1)
    before = plan_of(application)

    def skip_and_cancel_the_rest():
        services.follow_up_skip(follow_up=first)
        services.plan_cancel(application=application)

    change = undoing._recorded(first, PlanChange.Action.SKIPPED, owner, skip_and_cancel_the_rest)
    assert FollowUp.objects.get(pk=other.pk).status == "cancelled"
    assert set(change.before) == {str(first.pk), str(other.pk)}

    undoing.plan_change_undo(change=change, by=owner)

    assert plan_of(application) == before


def test_a_snooze_to_the_day_it_was_due_is_still_a_snooze(owner_client, owner, application):
    # Nothing moves, but the person did snooze it: they are told so, not that it was settled.
    follow_up = planned(application, days=3)
    response = owner_client.post(
        reverse("applications:follow_up_snooze", args=[follow_up.pk]),
        {"until": follow_up.due_on.isoformat(), "next": "/"},
        **HTMX,
    )
    assert "Snoozed to" in response.content.decode()
    change = PlanChange.objects.get(follow_up=follow_up)
    before = plan_of(application)
    undoing.plan_change_undo(change=change, by=owner)
    assert plan_of(application) == before
