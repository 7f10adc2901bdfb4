"""An edit-level coach acting for a client: applications, interviews and letters recorded in the
client's data, owned by the client, planned in the client's days, marked as the coach's, and
written in the client's access log. Below the "edit" level, or without consent, nothing is made.

The client lives at UTC+14 and the coach at UTC-11: their calendars never show the same date,
so a date taken from the wrong zone is always a different date.
"""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from followup.applications import plan, services
from followup.applications.models import Application, ApplicationEvent, FollowUpKind
from followup.coaching.models import AccessAction, AccessLogEntry
from followup.interviews.models import Interview
from followup.letters import services as letter_services
from followup.letters.models import Letter
from tests.factories import ApplicationFactory, ContactFactory

CLIENT_ZONE = "Pacific/Kiritimati"  # UTC+14
COACH_ZONE = "Pacific/Pago_Pago"  # UTC-11


@pytest.fixture
def far_apart(owner, coach_edit):
    """The client (the owner) and their edit-level coach, a day apart on the calendar."""
    owner.time_zone = CLIENT_ZONE
    owner.save(update_fields=["time_zone"])
    coach_edit.time_zone = COACH_ZONE
    coach_edit.save(update_fields=["time_zone"])
    assert owner.today() != coach_edit.today()
    return owner, coach_edit


def log_lines(client_user):
    return list(
        AccessLogEntry.objects.filter(client=client_user)
        .order_by("pk")
        .values_list("coach__email", "action", "what")
    )


def test_an_edit_coach_records_an_application_for_the_client(client, far_apart):
    owner, coach = far_apart
    client.force_login(coach)
    url = reverse("coaching:client_application_create", args=[owner.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "New application for Olivia Owner" in page.text
    # The form starts on the client's today, and says whose it is.
    assert f'value="{owner.today():%Y-%m-%d}"' in page.text
    assert f"Left blank: today where Olivia Owner is, {owner.today():%a %-d %b}." in page.text
    assert not AccessLogEntry.objects.exists()  # an empty form shows nothing of the client's

    response = client.post(url, {"organisation": "Tidewater", "position": "Analyst"})

    application = Application.objects.get(organisation="Tidewater")
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.owner == owner
    assert application.created_by == coach
    # Left blank: the client's today, not the coach's (a day apart).
    assert application.applied_on == owner.today()
    assert ApplicationEvent.objects.filter(application=application, kind="created").exists()
    assert log_lines(owner) == [
        ("edit.coach@example.com", AccessAction.CREATED, f"application: {application}")
    ]
    # The coach lands on the client's application, and can see it there.
    assert "Added by you" in client.get(application.get_absolute_url()).text


def test_a_form_error_keeps_what_the_coach_typed_and_records_nothing(client, far_apart):
    owner, coach = far_apart
    client.force_login(coach)
    url = reverse("coaching:client_application_create", args=[owner.pk])
    response = client.post(url, {"organisation": "Tidewater", "position": "", "salary_min": "x"})
    assert response.status_code == 200
    assert 'value="Tidewater"' in response.text
    assert "This field is required." in response.text
    assert not Application.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_an_interview_time_typed_by_the_coach_is_the_clients_clock(client, far_apart):
    owner, coach = far_apart
    application = ApplicationFactory(owner=owner)
    person = ContactFactory(owner=owner, name="Ada Park")
    client.force_login(coach)
    url = reverse("interviews:create", args=[application.pk])

    form = client.get(url)
    assert f"In Olivia Owner’s time zone ({CLIENT_ZONE.replace('_', ' ')})" in form.text

    response = client.post(
        url,
        {
            "scheduled_at": "2026-12-03T10:00",
            "kind": "video",
            "round": "1",
            "interviewers-TOTAL_FORMS": "1",
            "interviewers-INITIAL_FORMS": "0",
            "interviewers-0-contact": str(person.pk),
            "interviewers-0-cares_about": "sailing",
        },
    )

    interview = Interview.objects.get()
    assert response.status_code == 302
    assert interview.scheduled_at == datetime(2026, 12, 3, 10, 0, tzinfo=owner.zone)
    assert interview.created_by == coach
    assert interview.application.owner == owner
    # The thank-you is due the client's next day: read in the coach's zone, 10:00 on the 3rd
    # would be the client's 4th, and the letter due on the 5th.
    thank_you = interview.follow_ups.get(kind=FollowUpKind.THANK_YOU)
    assert thank_you.due_on == plan.thank_you_due(date(2026, 12, 3)) == date(2026, 12, 4)
    # The form's GET showed the application; the save is one line, the creation.
    assert log_lines(owner) == [
        ("edit.coach@example.com", AccessAction.VIEWED, f"application: {application}"),
        ("edit.coach@example.com", AccessAction.CREATED, f"interview: {interview}"),
    ]

    # Opened again by the coach, the form and the page show the client's clock too.
    edit = client.get(reverse("interviews:update", args=[interview.pk]))
    assert 'value="2026-12-03T10:00"' in edit.text
    detail = client.get(interview.get_absolute_url())
    assert "Thursday 3 December 2026, 10:00" in detail.text
    assert f"Olivia Owner’s time, {CLIENT_ZONE}" in detail.text
    timeline = client.get(application.get_absolute_url())
    assert "Thu 3 Dec 2026, 10:00" in timeline.text
    assert f"Times are Olivia Owner’s ({CLIENT_ZONE})." in timeline.text


def test_the_owners_own_interview_form_speaks_to_them(owner_client, owner):
    application = ApplicationFactory(owner=owner)
    form = owner_client.get(reverse("interviews:create", args=[application.pk]))
    assert "In your time zone (Europe/London)" in form.text


def test_an_edit_coach_starts_a_letter_for_the_clients_interview(client, far_apart):
    owner, coach = far_apart
    application = ApplicationFactory(owner=owner)
    person = ContactFactory(owner=owner)
    interview = services.interview_create(
        application=application,
        scheduled_at=datetime(2026, 12, 3, 10, 0, tzinfo=owner.zone),
        interviewers=[(person, "")],
        by=owner,
    )
    follow_up = interview.follow_ups.get()
    client.force_login(coach)

    response = client.post(
        reverse("letters:new"),
        {
            "application": application.pk,
            "contact": person.pk,
            "kind": "thank_you",
            "interview": interview.pk,
            "follow_up": follow_up.pk,
        },
    )

    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("letters:compose", args=[letter.pk])
    assert (letter.application.owner, letter.created_by) == (owner, coach)
    assert (letter.interview, letter.follow_up) == (interview, follow_up)
    assert interview.created_by == owner  # the owner's own: no badge for it
    assert log_lines(owner) == [
        ("edit.coach@example.com", AccessAction.CREATED, f"letter: {letter}")
    ]


def test_the_client_sees_what_their_coach_added(client, owner, coach_edit):
    coached = services.application_create(
        owner=owner, by=coach_edit, organisation="Tidewater", position="Analyst"
    )
    own = services.application_create(
        owner=owner, by=owner, organisation="Saltmarsh", position="Engineer"
    )
    person = ContactFactory(owner=owner)
    interview = services.interview_create(
        application=coached,
        scheduled_at=datetime(2026, 12, 3, 10, 0, tzinfo=owner.zone),
        interviewers=[(person, "")],
        by=coach_edit,
    )
    letter, _ = letter_services.letter_start(
        application=coached, contact=person, kind="thank_you", interview=interview, by=coach_edit
    )
    badge = "Added by your coach Eddie Edit"
    client.force_login(owner)

    detail = client.get(coached.get_absolute_url()).text
    # The application itself, its interview and its letter on the timeline.
    assert detail.count(badge) == 3
    assert badge in client.get(interview.get_absolute_url()).text
    assert badge in client.get(letter.get_absolute_url()).text
    listing = client.get(reverse("applications:list")).text
    assert listing.count(badge) == 1
    assert badge in client.get(reverse("letters:list")).text
    # What the client recorded themselves carries no badge.
    assert "Added by" not in client.get(own.get_absolute_url()).text

    # The coach reads it as theirs.
    client.force_login(coach_edit)
    assert "Added by you" in client.get(coached.get_absolute_url()).text
    assert "Added by you" in client.get(reverse("coaching:client", args=[owner.pk])).text


def test_the_client_page_offers_a_new_application_at_the_edit_level_only(
    client, owner, coach_edit, coach_view
):
    url = reverse("coaching:client_application_create", args=[owner.pk])
    client.force_login(coach_edit)
    assert url in client.get(reverse("coaching:client", args=[owner.pk])).text
    client.force_login(coach_view)
    assert url not in client.get(reverse("coaching:client", args=[owner.pk])).text


@pytest.mark.parametrize(
    "actor, status",
    [
        ("coach_view", 403),
        ("coach_comment", 403),
        ("coach_revoked", 404),
        ("other_coach", 404),
        ("stranger", 404),
        ("owner", 404),
    ],
)
def test_no_one_else_records_an_application_for_the_client(request, client, owner, actor, status):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    url = reverse("coaching:client_application_create", args=[owner.pk])
    log_before = log_lines(owner)
    assert client.get(url).status_code == status
    response = client.post(url, {"organisation": "Tidewater", "position": "Analyst"})
    assert response.status_code == status
    assert not Application.objects.exists()
    assert log_lines(owner) == log_before


@pytest.mark.parametrize("actor", ["coach_view", "coach_comment", "coach_revoked", "stranger"])
def test_the_services_refuse_someone_who_may_not_change_the_owners_data(request, owner, actor):
    user = request.getfixturevalue(actor)
    application = ApplicationFactory(owner=owner)
    person = ContactFactory(owner=owner)
    with pytest.raises(PermissionDenied):
        services.application_create(owner=owner, by=user, organisation="X", position="Y")
    with pytest.raises(PermissionDenied):
        services.interview_create(
            application=application,
            scheduled_at=datetime(2026, 12, 3, 10, 0, tzinfo=owner.zone),
            interviewers=[(person, "")],
            by=user,
        )
    with pytest.raises(PermissionDenied):
        letter_services.letter_start(
            application=application, contact=person, kind="follow_up", by=user
        )
    assert Application.objects.count() == 1
    assert not Interview.objects.exists() and not Letter.objects.exists()


def test_a_coach_who_deletes_their_account_leaves_the_clients_rows(owner, coach_edit):
    application = services.application_create(
        owner=owner, by=coach_edit, organisation="Tidewater", position="Analyst"
    )
    coach_edit.delete()
    application.refresh_from_db()
    assert application.created_by is None
    assert application.owner == owner


def test_the_new_letter_form_says_whose_each_application_is(client, owner, coach_edit):
    mine = ApplicationFactory(owner=coach_edit, organisation="Own Search", position="Coach")
    theirs = ApplicationFactory(owner=owner, organisation="Tidewater", position="Analyst")
    client.force_login(coach_edit)
    page = client.get(reverse("letters:new") + f"?application={theirs.pk}").text
    assert f">{theirs} (for Olivia Owner)</option>" in page
    assert f">{mine}</option>" in page
