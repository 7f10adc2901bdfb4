"""Next steps: a coach at the comment level or above sets one, the job seeker sees it on their
dashboard and in their digest and marks it done, the coach sees what is done and what is late."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from followup.coaching.models import AccessLogEntry, Coaching, NextStep
from followup.coaching.next_steps import open_next_steps_for
from followup.coaching.services import consent
from followup.coaching.services.next_steps import next_step_done, next_step_set
from tests.factories import ApplicationFactory, UserFactory
from tests.reminders.conftest import due_users


def add_url(client):
    return reverse("coaching:next_step_add", args=[client.pk])


def test_a_comment_level_coach_sets_a_step_the_client_sees_on_their_dashboard(
    client, owner, coach_comment
):
    application = ApplicationFactory(owner=owner, organisation="Harbour", position="Analyst")
    due = owner.today() + timedelta(days=3)
    client.force_login(coach_comment)
    response = client.post(
        add_url(owner),
        {
            "text": "Send the follow-up to Marcus by Friday",
            "due_on": due.isoformat(),
            "application": application.pk,
        },
    )
    assert response.status_code == 302
    step = NextStep.objects.get()
    assert (step.client, step.set_by, step.application, step.due_on) == (
        owner,
        coach_comment,
        application,
        due,
    )
    # The client's access log says what their coach did.
    assert AccessLogEntry.objects.filter(
        client=owner, coach=coach_comment, action="created", what__contains="Marcus"
    ).exists()

    client.force_login(owner)
    page = client.get("/").content.decode()
    assert "Next steps from your coach" in page
    assert "Send the follow-up to Marcus by Friday" in page
    assert "Cole Comment" in page  # who set it
    assert f"{step.created_at:%-d %b}" in page  # and when
    assert "Harbour" in page


def test_a_view_level_coach_cannot_set_a_step_and_is_not_offered_the_form(
    client, owner, coach_view
):
    client.force_login(coach_view)
    page = client.get(reverse("coaching:client", args=[owner.pk])).content.decode()
    assert "Set the next step" not in page
    assert "setting them takes the “comment” level" in page
    response = client.post(add_url(owner), {"text": "Call Marcus"})
    assert response.status_code == 403
    assert not NextStep.objects.exists()


def test_a_bad_step_comes_back_with_its_errors_and_what_was_typed(client, owner, coach_edit):
    others = ApplicationFactory(owner=UserFactory())
    client.force_login(coach_edit)
    response = client.post(
        add_url(owner),
        {"text": "Call Marcus", "due_on": "31/12/2030", "application": others.pk},
    )
    assert response.status_code == 400
    form = response.context["step_form"]
    assert set(form.errors) == {"due_on", "application"}
    assert 'value="Call Marcus"' in response.content.decode()
    response = client.post(add_url(owner), {"text": "   "})
    assert response.context["step_form"].errors["text"] == ["Say what the next step is."]
    assert not NextStep.objects.exists()


def test_the_service_refuses_a_view_coach_and_another_clients_application(
    owner, coach_view, coach_edit
):
    with pytest.raises(PermissionDenied):
        next_step_set(coach=coach_view, client=owner, text="Call Marcus")
    others = ApplicationFactory(owner=UserFactory())
    with pytest.raises(ValidationError):
        next_step_set(coach=coach_edit, client=owner, text="Call Marcus", application=others)
    assert not NextStep.objects.exists()


def test_the_client_marks_a_step_done_with_htmx_and_with_a_plain_form(client, owner, coach_comment):
    first = next_step_set(coach=coach_comment, client=owner, text="Call Marcus")
    second = next_step_set(coach=coach_comment, client=owner, text="Ask about the timeline")
    client.force_login(owner)

    response = client.post(
        reverse("coaching:next_step_done", args=[first.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'data-done="true"' in response.content.decode()
    assert "<html" not in response.content.decode()  # only the row, swapped in place
    # and the heading's count, one step still open
    assert re.search(
        r'id="next-steps-open-count"[^>]*hx-swap-oob="true"><span class="visually-hidden">'
        r"Open: </span>1</span>",
        response.content.decode(),
    )

    response = client.post(reverse("coaching:next_step_done", args=[second.pk]))
    assert response.status_code == 302 and response["Location"] == "/"

    first.refresh_from_db()
    done_at = first.done_at
    assert done_at is not None
    # Done twice keeps the first time.
    client.post(reverse("coaching:next_step_done", args=[first.pk]))
    first.refresh_from_db()
    assert first.done_at == done_at
    assert "Next steps from your coach" not in client.get("/").content.decode()


def test_a_coach_cannot_mark_a_step_done_for_the_client(client, owner, coach_edit):
    step = next_step_set(coach=coach_edit, client=owner, text="Call Marcus")
    client.force_login(coach_edit)
    assert client.post(reverse("coaching:next_step_done", args=[step.pk])).status_code == 403
    step.refresh_from_db()
    assert step.done_at is None


def test_the_coach_sees_which_steps_are_done_and_which_are_late(client, owner, coach_comment):
    today = owner.today()
    late = next_step_set(
        coach=coach_comment, client=owner, text="Late one", due_on=today - timedelta(days=2)
    )
    next_step_set(coach=coach_comment, client=owner, text="Coming one", due_on=today)
    done = next_step_set(coach=coach_comment, client=owner, text="Finished one")
    next_step_done(step=done)
    client.force_login(coach_comment)

    response = client.get(reverse("coaching:client", args=[owner.pk]))
    panel = response.context["panel"]
    states = {step.text: step.late for step in panel.open_steps}
    assert states == {"Late one": True, "Coming one": False}
    assert [step.text for step in panel.done_steps] == ["Finished one"]
    assert panel.late_count == 1
    page = response.content.decode()
    assert f"Late · was due {late.due_on:%a %-d %b}" in page
    assert "1 late" in page
    assert f"Done {timezone.localdate():%-d %b}" in page
    assert "Set by you" in page


def test_late_is_by_the_clients_calendar(owner, coach_comment):
    owner.time_zone = "Pacific/Kiritimati"  # UTC+14: their today may be the server's tomorrow
    owner.save()
    step = next_step_set(coach=coach_comment, client=owner, text="x", due_on=owner.today())
    assert not step.is_late(owner.today())
    assert step.is_late(owner.today() + timedelta(days=1))


def test_open_steps_for_many_people_in_one_query(owner, coach_comment, django_assert_num_queries):
    others = [UserFactory() for _ in range(3)]
    for person in [owner, *others]:
        NextStep.objects.create(client=person, set_by=coach_comment, text=f"For {person.pk}")
    next_step_done(step=NextStep.objects.filter(client=owner).get())
    with django_assert_num_queries(1):
        steps = open_next_steps_for([owner.pk, *(person.pk for person in others)])
        names = {pk: [step.set_by.display_name for step in found] for pk, found in steps.items()}
    assert owner.pk not in steps
    assert names == {person.pk: ["Cole Comment"] for person in others}


def test_the_coach_who_set_a_step_can_withdraw_it_and_nobody_else_can(
    client, owner, coach_comment, coach_edit
):
    step = next_step_set(coach=coach_comment, client=owner, text="Call Marcus")
    client.force_login(coach_edit)
    assert client.post(reverse("coaching:next_step_withdraw", args=[step.pk])).status_code == 403
    client.force_login(coach_comment)
    response = client.post(reverse("coaching:next_step_withdraw", args=[step.pk]))
    assert response.status_code == 302
    assert not NextStep.objects.exists()
    # The client's log says so, in place of the read the fetch wrote.
    withdrawn = AccessLogEntry.objects.filter(client=owner, coach=coach_comment).first()
    assert (withdrawn.action, withdrawn.what) == ("deleted", "next step: Call Marcus")


def test_steps_stay_the_clients_when_the_coaching_ends(client, owner, coach_comment):
    next_step_set(coach=coach_comment, client=owner, text="Call Marcus")
    consent.coaching_end(coaching=Coaching.objects.get(coach=coach_comment), by=owner)
    client.force_login(owner)
    page = client.get("/").content.decode()
    assert "Call Marcus" in page and "Cole Comment" in page


@pytest.mark.django_db(transaction=True)
def test_open_steps_are_in_the_digest_email(settings, smtp_server):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SITE_URL = "https://followup.test"
    [seeker] = due_users(1)
    coach = UserFactory(email="cora@example.com", name="Cora Coach", is_coach=True)
    NextStep.objects.create(
        client=seeker,
        set_by=coach,
        text="Send the follow-up to Marcus by Friday",
        due_on=seeker.today() - timedelta(days=1),
    )
    NextStep.objects.create(client=seeker, set_by=coach, text="Update the CV")
    done = NextStep.objects.create(client=seeker, set_by=coach, text="Already done")
    next_step_done(step=done)

    call_command("send_reminders", "--deliver", stdout=StringIO())

    [message] = smtp_server.messages
    assert message.recipients == [seeker.email]
    for body in (message.text(), message.html()):
        assert "Send the follow-up to Marcus by Friday" in body
        assert "was due" in body  # late
        assert "Update the CV" in body
        assert "set by Cora Coach" in body
        assert "Already done" not in body
    assert "NEXT STEPS FROM YOUR COACH" in message.text()
    assert "https://followup.test/" in message.text()
