"""The interview pages: the form with its interviewers, the detail, edit and delete."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications import services
from followup.applications.models import (
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Status,
)
from followup.contacts.models import Contact
from followup.interviews.models import Interview, Interviewer
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

XSS = "<script>alert(1)</script>"


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, organisation="Acme Analytics", status="applied")


@pytest.fixture
def ada(owner):
    return ContactFactory(owner=owner, name="Ada Park")


@pytest.fixture
def interview(application, ada):
    return services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=2),
        interviewers=[(ada, "Data quality")],
        today=application.owner.today(),
        notes="Talked about pipelines",
    )


def interview_data(rows=(), *, initial=0, **overrides):
    """The POST of the interview form: its fields and the interviewers formset's rows."""
    data = {
        "scheduled_at": "2026-03-04T14:30",
        "kind": "video",
        "round": "1",
        "location": "https://meet.example/abc",
        "notes": "Good chat",
        "interviewers-TOTAL_FORMS": str(len(rows)),
        "interviewers-INITIAL_FORMS": str(initial),
        "interviewers-MIN_NUM_FORMS": "0",
        "interviewers-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"interviewers-{i}-{key}"] = value
    return data | overrides


# --- Create ---------------------------------------------------------------------------------


def test_form_shows_only_my_contacts_as_choices(owner_client, application, ada, stranger):
    ContactFactory(owner=stranger, name="Not Yours")
    response = owner_client.get(reverse("interviews:create", args=[application.pk]))
    assert response.status_code == 200
    assert b"Ada Park" in response.content
    assert b"Not Yours" not in response.content
    assert b'type="datetime-local"' in response.content
    assert b"js/interviews.js" in response.content


def test_create_with_an_existing_and_a_new_interviewer(owner_client, owner, application, ada):
    response = owner_client.post(
        reverse("interviews:create", args=[application.pk]),
        interview_data(
            [
                {"contact": ada.pk, "cares_about": "Sailing"},
                {
                    "name": "Ben Ruiz",
                    "role": "CTO",
                    "email": "ben@acme.example",
                    "cares_about": "Go",
                },
                {},  # an empty extra row is ignored
            ]
        ),
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == interview.get_absolute_url()
    ben = Contact.objects.get(name="Ben Ruiz")
    assert (ben.owner, ben.organisation, ben.role, ben.email) == (
        owner,
        "Acme Analytics",
        "CTO",
        "ben@acme.example",
    )
    interviewers = {
        interviewer.contact.name: interviewer.cares_about
        for interviewer in interview.interviewers.all()
    }
    assert interviewers == {"Ada Park": "Sailing", "Ben Ruiz": "Go"}


def test_an_interview_moves_applied_to_interviewing_and_plans_one_thank_you_each(
    owner_client, application, ada
):
    owner_client.post(
        reverse("interviews:create", args=[application.pk]),
        interview_data([{"contact": ada.pk}, {"name": "Ben Ruiz"}]),
    )
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWING
    thank_yous = FollowUp.objects.filter(kind=FollowUpKind.THANK_YOU, status="pending")
    assert sorted(f.contact.name for f in thank_yous) == ["Ada Park", "Ben Ruiz"]


def test_the_time_is_read_and_shown_in_the_persons_zone(owner_client, owner, application):
    owner.time_zone = "Asia/Tokyo"
    owner.save()
    owner_client.post(
        reverse("interviews:create", args=[application.pk]),
        interview_data([{"name": "Ben Ruiz"}], scheduled_at="2026-03-04T14:30"),
    )
    interview = Interview.objects.get()
    assert interview.scheduled_at == datetime(2026, 3, 4, 5, 30, tzinfo=UTC)
    detail = owner_client.get(interview.get_absolute_url())
    assert b"Wednesday 4 March 2026, 14:30" in detail.content
    edit = owner_client.get(reverse("interviews:update", args=[interview.pk]))
    assert b'value="2026-03-04T14:30"' in edit.content


def test_another_persons_contact_id_is_a_field_error(owner_client, application, stranger):
    theirs = ContactFactory(owner=stranger, name="Not Yours")
    response = owner_client.post(
        reverse("interviews:create", args=[application.pk]),
        interview_data([{"contact": theirs.pk, "cares_about": "secrets"}]),
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Interview.objects.exists()
    assert not Interviewer.objects.exists()


@pytest.mark.parametrize(
    ("rows", "overrides", "message"),
    [
        ([{"contact": "ADA", "name": "Ada Again"}], {}, b"not both"),
        ([{"role": "CTO"}], {}, b"the new person&#x27;s name"),
        ([{"cares_about": "Go"}], {}, b"Pick who said this"),
        ([{"contact": "ADA"}, {"contact": "ADA"}], {}, b"on the panel twice"),
        ([{"name": "Ben", "email": "nope"}], {}, b"Enter a valid email address."),
        ([], {"scheduled_at": "next tuesday"}, b"Enter a valid date/time."),
        ([], {"scheduled_at": ""}, b"This field is required."),
        # 01:30 on the night the clocks go forward does not exist in London.
        ([], {"scheduled_at": "2026-03-29T01:30"}, b"be interpreted in time zone"),
        ([], {"round": "0"}, b"greater than or equal to 1"),
        ([], {"kind": "telepathy"}, b"Select a valid choice"),
    ],
)
def test_form_errors_re_render_and_save_nothing(
    owner_client, application, ada, rows, overrides, message
):
    rows = [{k: (ada.pk if v == "ADA" else v) for k, v in row.items()} for row in rows]
    response = owner_client.post(
        reverse("interviews:create", args=[application.pk]),
        interview_data(rows, **overrides),
    )
    assert response.status_code == 200
    assert message in response.content
    assert b"Please correct the fields marked below." in response.content
    assert not Interview.objects.exists()
    # A new person typed in a rejected form is not left behind as a contact.
    assert list(Contact.objects.values_list("name", flat=True)) == ["Ada Park"]


def test_a_broken_management_form_is_an_error_not_a_crash(owner_client, application):
    data = interview_data([{"name": "Ben"}])
    del data["interviewers-TOTAL_FORMS"]
    response = owner_client.post(reverse("interviews:create", args=[application.pk]), data)
    assert response.status_code == 200
    assert not Interview.objects.exists()


# --- Detail ---------------------------------------------------------------------------------


def test_detail_shows_notes_interviewers_and_thank_you_links(owner_client, interview, ada):
    follow_up = FollowUp.objects.get(kind=FollowUpKind.THANK_YOU, contact=ada)
    response = owner_client.get(interview.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Talked about pipelines" in body
    assert "Data quality" in body
    # The thank-you button posts every choice to the new-letter view: the composer opens at once.
    for name, value in [
        ("application", interview.application_id),
        ("contact", ada.pk),
        ("kind", "thank_you"),
        ("interview", interview.pk),
        ("follow_up", follow_up.pk),
    ]:
        assert f'<input type="hidden" name="{name}" value="{value}">' in body


def test_detail_links_to_a_thank_you_already_written(owner_client, interview, ada):
    letter = LetterFactory(application=interview.application, contact=ada, interview=interview)
    response = owner_client.get(interview.get_absolute_url())
    assert reverse("letters:compose", args=[letter.pk]).encode() in response.content
    assert b"Write the thank-you" not in response.content


def test_detail_escapes_every_text_field(owner_client, owner, application):
    contact = ContactFactory(owner=owner, name=XSS, role=XSS)
    interview = services.interview_create(
        application=application,
        scheduled_at=timezone.now(),
        interviewers=[(contact, XSS)],
        today=owner.today(),
        location=XSS,
        notes=XSS,
    )
    LetterFactory(application=application, contact=contact, interview=interview, subject=XSS)
    response = owner_client.get(interview.get_absolute_url())
    assert response.status_code == 200
    assert b"<script>" not in response.content
    assert response.content.count(b"&lt;script&gt;alert(1)&lt;/script&gt;") >= 5


# --- Update and delete ----------------------------------------------------------------------


def test_update_changes_fields_and_the_interviewers(owner_client, interview, ada):
    ben = ContactFactory(owner=interview.application.owner, name="Ben Ruiz")
    response = owner_client.post(
        reverse("interviews:update", args=[interview.pk]),
        interview_data(
            [
                {"contact": ada.pk, "cares_about": "Data quality", "DELETE": "on"},
                {"contact": ben.pk, "cares_about": "Rust"},
                {"name": "Cleo Diaz"},
            ],
            initial=1,
            notes="Updated notes",
            round="2",
        ),
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.notes, interview.round) == ("Updated notes", 2)
    interviewers = {
        interviewer.contact.name: interviewer.cares_about
        for interviewer in interview.interviewers.all()
    }
    assert interviewers == {"Ben Ruiz": "Rust", "Cleo Diaz": ""}
    # Ada is no longer an interviewer: her thank-you is no longer owed.
    ada_thanks = FollowUp.objects.get(kind=FollowUpKind.THANK_YOU, contact=ada)
    assert ada_thanks.status == FollowUpStatus.CANCELLED


def test_update_form_starts_with_the_current_interviewers(owner_client, interview, ada):
    response = owner_client.get(reverse("interviews:update", args=[interview.pk]))
    assert response.status_code == 200
    assert f'<option value="{ada.pk}" selected>'.encode() in response.content
    assert b"Data quality" in response.content
    assert b"Remove from this interview" in response.content


def test_update_keeps_untouched_interviewers(owner_client, interview, ada):
    owner_client.post(
        reverse("interviews:update", args=[interview.pk]),
        interview_data([{"contact": ada.pk, "cares_about": "Data quality"}], initial=1),
    )
    assert [interviewer.contact for interviewer in interview.interviewers.all()] == [ada]


def test_update_refuses_another_persons_contact(owner_client, interview, stranger):
    theirs = ContactFactory(owner=stranger)
    response = owner_client.post(
        reverse("interviews:update", args=[interview.pk]),
        interview_data([{"contact": theirs.pk}], initial=0),
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Interviewer.objects.filter(contact=theirs).exists()


def test_delete_asks_then_deletes_and_drops_its_thank_yous(owner_client, interview):
    url = reverse("interviews:delete", args=[interview.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == interview.application.get_absolute_url()
    assert not Interview.objects.exists()
    assert not FollowUp.objects.filter(kind=FollowUpKind.THANK_YOU).exists()


# --- Ownership ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["interviews:detail", "interviews:update", "interviews:delete"],
)
def test_a_stranger_gets_404_and_changes_nothing(stranger_client, interview, ada, name):
    before = list(Interview.objects.values_list("pk", "notes", "scheduled_at"))
    url = reverse(name, args=[interview.pk])
    assert stranger_client.get(url).status_code == 404
    response = stranger_client.post(url, interview_data([{"name": "Eve"}], notes="hijacked"))
    # The read-only page answers a POST with 405 before any lookup: nothing leaks either way.
    assert response.status_code == (405 if name == "interviews:detail" else 404)
    assert list(Interview.objects.values_list("pk", "notes", "scheduled_at")) == before
    assert [interviewer.contact for interviewer in interview.interviewers.all()] == [ada]
    assert not Contact.objects.filter(name="Eve").exists()


def test_a_stranger_cannot_add_an_interview_to_my_application(stranger_client, application):
    url = reverse("interviews:create", args=[application.pk])
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url, interview_data([{"name": "Eve"}])).status_code == 404
    assert not Interview.objects.exists()
    assert not Contact.objects.filter(name="Eve").exists()
