"""The application pages: the list, the timeline, and the forms that change an application."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications import services
from followup.applications.models import (
    Application,
    ApplicationEvent,
    EventKind,
    FollowUp,
    FollowUpStatus,
    Status,
)
from followup.letters.models import Gift
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, LetterFactory

XSS = "<script>alert(1)</script>"
ESCAPED = b"&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def application(owner):
    return services.application_create(
        owner=owner, organisation="Acme Analytics", position="Data Engineer"
    )


@pytest.fixture
def contact(owner):
    return ContactFactory(owner=owner, name="Ada Park")


def interview_with(application, *contacts, when=None):
    return services.interview_create(
        application=application,
        scheduled_at=when or timezone.now() - timedelta(hours=2),
        interviewers=[(c, "cares about data quality") for c in contacts],
        today=application.owner.today(),
    )


def edit_data(application, **overrides):
    data = {
        "organisation": application.organisation,
        "position": application.position,
        "status": application.status,
        "posting_url": "",
        "found_via": "",
        "decision_date": "",
        "notes": "",
        "cadence_first_days": "",
        "cadence_second_days": "",
        "cadence_repeat_days": "",
    }
    return data | overrides


def names(response) -> list[str]:
    return [a.position for a in response.context["page"].object_list]


# --- List -----------------------------------------------------------------------------------


def test_list_shows_my_open_applications_by_default(owner_client, owner, stranger):
    ApplicationFactory(owner=owner, position="Open one", status="interviewing")
    ApplicationFactory(owner=owner, position="Closed one", status="eliminated")
    ApplicationFactory(owner=stranger, position="Their one")
    response = owner_client.get(reverse("applications:list"))
    assert response.status_code == 200
    assert names(response) == ["Open one"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "closed"}, ["Closed one"]),
        ({"state": "all"}, ["Closed one", "Open one"]),
        ({"status": "eliminated"}, ["Closed one"]),
        # A status says open or closed by itself: it is not hidden by the default state.
        ({"status": "eliminated", "state": "open"}, ["Closed one"]),
        ({"state": "nonsense"}, ["Open one"]),
    ],
)
def test_list_filters_by_state_and_status(owner_client, owner, query, expected):
    ApplicationFactory(owner=owner, position="Open one", status="applied")
    ApplicationFactory(owner=owner, position="Closed one", status="eliminated")
    response = owner_client.get(reverse("applications:list"), query | {"sort": "position"})
    assert response.status_code == 200
    assert names(response) == expected


def test_list_searches_organisation_position_and_notes(owner_client, owner):
    ApplicationFactory(owner=owner, position="Analyst", organisation="Globex")
    ApplicationFactory(owner=owner, position="Engineer", organisation="Initech", notes="remote ok")
    assert names(owner_client.get(reverse("applications:list"), {"q": "globex"})) == ["Analyst"]
    assert names(owner_client.get(reverse("applications:list"), {"q": "REMOTE"})) == ["Engineer"]
    assert names(owner_client.get(reverse("applications:list"), {"q": "engineer"})) == ["Engineer"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("organisation", ["B", "C", "A"]),
        ("-organisation", ["A", "C", "B"]),
        ("position", ["A", "B", "C"]),
        ("-position", ["C", "B", "A"]),
        ("status", ["B", "A", "C"]),
        ("-status", ["C", "A", "B"]),
        # No decision date sorts last in both directions.
        ("decision_date", ["C", "A", "B"]),
        ("-decision_date", ["A", "C", "B"]),
        ("updated", ["A", "B", "C"]),
        ("-updated", ["C", "B", "A"]),
        ("bogus", ["C", "B", "A"]),
    ],
)
def test_list_sorts_both_ways(owner_client, owner, sort, expected):
    ApplicationFactory(
        owner=owner,
        position="A",
        organisation="Zeta",
        status="offer",
        decision_date=date(2030, 3, 1),
    )
    ApplicationFactory(owner=owner, position="B", organisation="Alpha", status="applied")
    ApplicationFactory(
        owner=owner,
        position="C",
        organisation="Mu",
        status="withdrawn",
        decision_date=date(2030, 1, 1),
    )
    response = owner_client.get(reverse("applications:list"), {"sort": sort, "state": "all"})
    assert response.status_code == 200
    assert names(response) == expected


def test_list_paginates_by_25_and_keeps_the_filters(owner_client, owner):
    ApplicationFactory.create_batch(30, owner=owner)
    response = owner_client.get(reverse("applications:list"), {"sort": "position"})
    assert len(response.context["page"].object_list) == 25
    assert b"sort=position&amp;page=2" in response.content
    second = owner_client.get(reverse("applications:list"), {"sort": "position", "page": "2"})
    assert len(second.context["page"].object_list) == 5
    assert owner_client.get(reverse("applications:list"), {"page": "junk"}).status_code == 200


def test_list_shows_counts_and_next_due_follow_up(owner_client, owner, contact):
    application = ApplicationFactory(owner=owner)
    interview_with(application, contact)
    response = owner_client.get(reverse("applications:list"))
    row = response.context["page"].object_list[0]
    assert row.interview_count == 1
    assert row.next_due_on == FollowUp.objects.get().due_on


@pytest.mark.parametrize("rows", [3, 30])
def test_list_runs_the_same_queries_however_many_rows(
    owner_client, owner, rows, django_assert_num_queries
):
    for _ in range(rows):
        application = ApplicationFactory(owner=owner)
        # Each row has children, so a per-row query for counts or the next due date would show.
        interview_with(application, ContactFactory(owner=owner))
        LetterFactory(application=application)
    # 1. the session, 2. the user, 3. count for the paginator,
    # 4. the page of applications with their counts and next due date as subqueries
    with django_assert_num_queries(4):
        response = owner_client.get(reverse("applications:list"), {"state": "all"})
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_list_needs_a_signed_in_person(client, db):
    response = client.get(reverse("applications:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Create, update, delete -----------------------------------------------------------------


def test_create_records_the_application_and_its_first_event(owner_client, owner):
    response = owner_client.post(
        reverse("applications:create"),
        {"organisation": "Initech", "position": "Analyst", "posting_url": "jobs.example/42"},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert (application.owner, application.status) == (owner, Status.APPLIED)
    assert application.posting_url == "https://jobs.example/42"
    assert application.events.get().kind == EventKind.CREATED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organisation": "", "position": "Analyst"}, b"This field is required."),
        (
            {"organisation": "X", "position": "Y", "posting_url": "javascript:alert(1)"},
            b"Enter a valid URL.",
        ),
        ({"organisation": "X", "position": "Y", "decision_date": "31/02/2026"}, b"valid date"),
    ],
)
def test_create_with_errors_re_renders_with_messages(owner_client, data, message):
    response = owner_client.post(reverse("applications:create"), data)
    assert response.status_code == 200
    assert message in response.content
    assert b"Please correct the fields marked below." in response.content
    assert not Application.objects.exists()


def test_update_saves_fields_cadence_and_status(owner_client, application):
    response = owner_client.post(
        reverse("applications:update", args=[application.pk]),
        edit_data(
            application,
            position="Senior Data Engineer",
            status="offer",
            cadence_first_days="5",
            reminders_muted="on",
        ),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.position == "Senior Data Engineer"
    assert application.status == Status.OFFER
    assert application.cadence_first_days == 5
    assert application.reminders_muted
    assert application.events.filter(kind=EventKind.STATUS, to_status="offer").exists()


@pytest.mark.parametrize("days", ["0", "366", "-3", "soon"])
def test_update_refuses_cadence_outside_1_to_365(owner_client, application, days):
    response = owner_client.post(
        reverse("applications:update", args=[application.pk]),
        edit_data(application, cadence_repeat_days=days, position="Changed"),
    )
    assert response.status_code == 200
    assert b"Please correct the fields marked below." in response.content
    assert b'id="error_1_id_cadence_repeat_days"' in response.content
    # The heading still names the stored application, not the rejected input.
    assert b"Edit Data Engineer at Acme Analytics" in response.content
    application.refresh_from_db()
    assert application.position == "Data Engineer"


def test_update_accepts_a_past_decision_date_with_a_warning(owner_client, owner, application):
    past = owner.today() - timedelta(days=3)
    response = owner_client.post(
        reverse("applications:update", args=[application.pk]),
        edit_data(application, decision_date=past.isoformat()),
        follow=True,
    )
    assert b"decision date you gave has already passed" in response.content
    application.refresh_from_db()
    assert application.decision_date == past


def test_update_with_the_same_status_adds_no_event(owner_client, application):
    owner_client.post(
        reverse("applications:update", args=[application.pk]),
        edit_data(application, notes="more notes"),
    )
    assert not application.events.filter(kind=EventKind.STATUS).exists()


def test_delete_asks_then_deletes_with_children(owner_client, application, contact):
    interview_with(application, contact)
    url = reverse("applications:delete", args=[application.pk])
    confirm = owner_client.get(url)
    assert confirm.status_code == 200
    assert b"1 interview" in confirm.content
    response = owner_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:list")
    assert not Application.objects.exists()
    assert not FollowUp.objects.exists()


# --- Detail: the timeline and the plan ------------------------------------------------------


def test_timeline_merges_events_interviews_letters_and_replies_in_time_order(
    owner_client, owner, application, contact
):
    now = timezone.now()
    ApplicationEvent.objects.filter(application=application).update(
        occurred_at=now - timedelta(days=10)
    )
    # The application's first line sits on the day applied, whenever it was recorded.
    Application.objects.filter(pk=application.pk).update(
        applied_on=timezone.localdate(now - timedelta(days=10), owner.zone)
    )
    application.refresh_from_db()
    meeting = interview_with(application, contact, when=now - timedelta(days=5))
    letter = LetterFactory(
        application=application,
        contact=contact,
        interview=meeting,
        subject="Thank you, Ada",
        sent_on=(now - timedelta(days=4)).date(),
    )
    Gift.objects.create(letter=letter, kind="link", title="A data-quality checklist")
    services.application_record_reply(
        application=application, text="We will decide soon", occurred_at=now - timedelta(days=1)
    )
    draft = LetterFactory(application=application, contact=contact, subject="Checking in")

    response = owner_client.get(application.get_absolute_url())
    assert response.status_code == 200
    kinds = [entry.kind for entry in response.context["timeline"]]
    # The move to "interviewing" happened when the interview was recorded, i.e. just now.
    assert kinds == ["event", "interview", "letter", "event", "event", "letter"]
    body = response.content.decode()
    order = [
        "Application sent",
        "Video interview, round 1",
        "Thank you, Ada",
        "We will decide soon",
        "Applied → Interviewing",
        "Checking in",
    ]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    assert "A data-quality checklist" in body
    assert reverse("letters:compose", args=[draft.pk]) in body
    assert "Draft" in body


def test_plan_lists_pending_follow_ups_with_write_and_skip(owner_client, application, contact):
    interview_with(application, contact)
    follow_up = FollowUp.objects.get()
    response = owner_client.get(application.get_absolute_url())
    body = response.content.decode()
    # "Write it" posts the whole choice, so the composer opens at once.
    assert f'<input type="hidden" name="follow_up" value="{follow_up.pk}">' in body
    assert '<input type="hidden" name="kind" value="thank_you">' in body
    assert reverse("applications:follow_up_skip", args=[follow_up.pk]) in body


def test_settled_follow_ups_are_shown_apart_and_greyed(owner_client, owner, application, contact):
    interview_with(application, contact)
    follow_up = FollowUp.objects.get()
    services.follow_up_skip(follow_up=follow_up, today=owner.today())
    response = owner_client.get(application.get_absolute_url())
    assert [f.pk for f in response.context["settled"]] == [follow_up.pk]
    assert follow_up not in response.context["pending"]
    assert b"Done, skipped and cancelled (1)" in response.content


def test_eliminated_application_offers_a_closing_letter(owner_client, owner, application, contact):
    interview_with(application, contact)
    services.application_set_status(
        application=application, status=Status.ELIMINATED, today=owner.today()
    )
    response = owner_client.get(application.get_absolute_url())
    body = response.content.decode()
    assert "Close on a good note" in body
    assert f'<input type="hidden" name="contact" value="{contact.pk}">' in body
    assert '<input type="hidden" name="kind" value="closing">' in body


def test_open_application_does_not_offer_a_closing_letter(owner_client, application):
    response = owner_client.get(application.get_absolute_url())
    assert b"Close on a good note" not in response.content


def test_detail_escapes_every_text_field(owner_client, owner):
    application = services.application_create(
        owner=owner,
        organisation=XSS,
        position=XSS,
        found_via=XSS,
        notes=XSS,
        posting_url="https://example.org/?<script>",
    )
    contact = ContactFactory(owner=owner, name=XSS, role=XSS)
    interview = InterviewFactory(application=application, location=XSS, notes=XSS)
    services.interview_update(interview=interview, interviewers=[(contact, XSS)])
    letter = LetterFactory(application=application, contact=contact, subject=XSS)
    Gift.objects.create(
        letter=letter, kind="list", title=XSS, items=XSS, inspiration=XSS, url="https://x.io/?<a"
    )
    services.application_record_reply(application=application, text=XSS)
    services.application_set_status(
        application=application, status="eliminated", today=owner.today(), note=XSS
    )
    response = owner_client.get(application.get_absolute_url())
    assert response.status_code == 200
    assert b"<script>" not in response.content
    assert response.content.count(ESCAPED) >= 9


# --- Status, reply, skip --------------------------------------------------------------------


def test_status_change_records_an_event_with_the_note(owner_client, application):
    response = owner_client.post(
        reverse("applications:status", args=[application.pk]),
        {"status": "offer", "note": "Call from HR"},
        follow=True,
    )
    assert b"Moved to" in response.content
    application.refresh_from_db()
    assert application.status == Status.OFFER
    event = application.events.get(kind=EventKind.STATUS)
    assert (event.from_status, event.to_status, event.text) == ("applied", "offer", "Call from HR")


def test_closing_the_application_cancels_its_plan(owner_client, application, contact):
    interview_with(application, contact)
    owner_client.post(
        reverse("applications:status", args=[application.pk]), {"status": "withdrawn"}
    )
    assert not FollowUp.objects.filter(status=FollowUpStatus.PENDING).exists()


def test_status_change_to_the_same_status_is_a_no_op_with_a_message(owner_client, application):
    response = owner_client.post(
        reverse("applications:status", args=[application.pk]), {"status": "applied"}, follow=True
    )
    assert b"already" in response.content
    assert b"nothing changed" in response.content
    assert not application.events.filter(kind=EventKind.STATUS).exists()


def test_status_change_to_an_unknown_status_re_renders_the_page(owner_client, application):
    response = owner_client.post(
        reverse("applications:status", args=[application.pk]), {"status": "promoted"}
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert b"The status was not changed" in response.content
    application.refresh_from_db()
    assert application.status == Status.APPLIED


def test_reply_is_recorded_on_the_timeline(owner_client, owner, application):
    yesterday = owner.today() - timedelta(days=1)
    response = owner_client.post(
        reverse("applications:reply", args=[application.pk]),
        {"text": "They will call next week", "received_on": yesterday.isoformat()},
        follow=True,
    )
    assert b"They will call next week" in response.content
    event = application.events.get(kind=EventKind.REPLY)
    assert timezone.localtime(event.occurred_at, owner.zone).date() == yesterday


def test_reply_from_the_future_or_empty_is_refused_on_the_field(owner_client, owner, application):
    url = reverse("applications:reply", args=[application.pk])
    tomorrow = (owner.today() + timedelta(days=1)).isoformat()
    response = owner_client.post(url, {"text": "Soon", "received_on": tomorrow})
    assert response.status_code == 200
    assert b"That date is in the future" in response.content
    response = owner_client.post(url, {"text": "", "received_on": owner.today().isoformat()})
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert not application.events.filter(kind=EventKind.REPLY).exists()


def test_skip_plans_the_next_step(owner_client, application, contact):
    interview_with(application, contact)
    thank_you = FollowUp.objects.get()
    response = owner_client.post(
        reverse("applications:follow_up_skip", args=[thank_you.pk]), follow=True
    )
    assert b"Skipped. The next follow-up is due" in response.content
    thank_you.refresh_from_db()
    assert thank_you.status == FollowUpStatus.SKIPPED
    assert FollowUp.objects.filter(status=FollowUpStatus.PENDING, step=1).count() == 1


def test_skip_twice_changes_nothing_the_second_time(owner_client, application, contact):
    interview_with(application, contact)
    thank_you = FollowUp.objects.get()
    url = reverse("applications:follow_up_skip", args=[thank_you.pk])
    owner_client.post(url)
    response = owner_client.post(url, follow=True)
    assert b"already settled" in response.content
    assert FollowUp.objects.count() == 2


@pytest.mark.parametrize(
    "name", ["applications:status", "applications:reply", "applications:follow_up_skip"]
)
def test_state_changes_refuse_get(owner_client, application, contact, name):
    interview_with(application, contact)
    pk = FollowUp.objects.get().pk if name.endswith("skip") else application.pk
    assert owner_client.get(reverse(name, args=[pk])).status_code == 405


def test_state_changes_need_the_csrf_token(owner, application):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(
        reverse("applications:status", args=[application.pk]), {"status": "offer"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.APPLIED


# --- Ownership ------------------------------------------------------------------------------


def snapshot():
    return (
        list(Application.objects.values_list("pk", "status", "position", "updated_at")),
        list(ApplicationEvent.objects.values_list("pk", "kind")),
        list(FollowUp.objects.values_list("pk", "status", "due_on")),
    )


@pytest.mark.parametrize(
    "name",
    [
        "applications:detail",
        "applications:update",
        "applications:delete",
        "applications:status",
        "applications:reply",
        "interviews:create",
        "applications:follow_up_skip",
    ],
)
def test_a_stranger_gets_404_and_changes_nothing(stranger_client, application, contact, name):
    interview_with(application, contact)
    pk = FollowUp.objects.get().pk if name.endswith("skip") else application.pk
    before = snapshot()
    url = reverse(name, args=[pk])
    payload = {
        "status": "hired",
        "note": "x",
        "text": "x",
        "received_on": "2026-01-01",
        "organisation": "X",
        "position": "Y",
    }
    if name not in ("applications:status", "applications:reply", "applications:follow_up_skip"):
        assert stranger_client.get(url).status_code == 404
    # Read-only pages answer a POST with 405 before any lookup: nothing leaks either way.
    expected = {405} if name == "applications:detail" else {404}
    assert stranger_client.post(url, payload).status_code in expected
    assert snapshot() == before


@pytest.mark.parametrize("interviews", [1, 6])
def test_detail_runs_the_same_queries_however_long_the_timeline(
    owner_client, owner, application, interviews, django_assert_num_queries
):
    for _ in range(interviews):
        contacts = ContactFactory.create_batch(2, owner=owner)
        meeting = interview_with(application, *contacts)
        letter = LetterFactory(
            application=application,
            contact=contacts[0],
            interview=meeting,
            follow_up=meeting.follow_ups.get(contact=contacts[0]),
        )
        Gift.objects.create(letter=letter, kind="introduction", introduced_contact=contacts[1])
    # 1. session, 2. user, 3. the application with its owner (whether the viewer may edit it
    # follows from its owner), 4. events, 5. interviews, 6. their interviewers with contacts,
    # 7. letters with contact, gift and introduced person,
    # 8. follow-ups with contact, interview and their draft in progress (subqueries)
    with django_assert_num_queries(8):
        response = owner_client.get(application.get_absolute_url())
    # Created, moved to interviewing, and an interview and a letter each time.
    assert len(response.context["timeline"]) == 2 + 2 * interviews


@pytest.mark.django_db
def test_a_gift_without_a_title_is_named_by_its_kind_once(owner_client, owner, application):
    letter = LetterFactory(application=application, sent_on=date(2026, 3, 2))
    marcus = ContactFactory(owner=owner, name="Marcus Lee")
    Gift.objects.create(letter=letter, kind="introduction", introduced_contact=marcus)
    Gift.objects.create(
        letter=LetterFactory(application=application), kind="link", title="A checklist"
    )

    page = owner_client.get(application.get_absolute_url()).content.decode()

    assert page.count("Introduction to a person") == 1
    assert "Introducing <a" in page
    assert "A checklist <span" in page and "(Link to a website)" in page
