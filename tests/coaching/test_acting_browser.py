"""A coach acting for a client, in a real browser: from the client's page, the coach records an
application and its interview for the client; the client then finds both in their own pages,
marked "Added by your coach". The coach is in New York, the client in Tokyo: the interview time
the coach types is the client's, and so is the thank-you's due day.

Screenshots at 1280 and 390 px wide are kept in tests/artifacts/ (acting-*).
"""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from followup.applications.models import Application, FollowUpKind
from followup.coaching.models import AccessAction, AccessLogEntry, Level
from followup.contacts.models import Contact
from followup.interviews.models import Interview
from followup.letters.models import Letter
from tests.browser_steps import landed_on
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import DESKTOP, both_widths, label
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coach_records_an_application_and_interview_the_client_then_sees(
    live_server, page, log_in
):
    chloe = UserFactory(email="chloe@example.com", name="Chloe Martin", time_zone="Asia/Tokyo")
    coach = make_coach(
        email="morgan@example.com", name="Morgan Reyes", time_zone="America/New_York"
    )
    coaching_between(coach, chloe, Level.EDIT)
    page.set_viewport_size(DESKTOP)

    # The coach, from the client's page.
    log_in(coach)
    page.goto(live_server.url + reverse("coaching:client", args=[chloe.pk]))
    both_widths(page, "acting-coach-client-page")
    page.get_by_role("link", name="New application for Chloe Martin").click()
    page.get_by_role("heading", name="New application for Chloe Martin").wait_for()
    page.get_by_label(label("Organisation")).fill("Harbour Bridge Analytics")
    page.get_by_label(label("Position")).fill("Analytics Engineer")
    page.get_by_label(label("Source or referral")).fill("Spotted at a meetup")
    both_widths(page, "acting-coach-new-application")
    page.get_by_role("button", name="Save for Chloe Martin").click()
    page.get_by_role("heading", name="Analytics Engineer", level=1).wait_for()
    assert page.get_by_test_id("added-by").first.inner_text() == "Added by you"
    both_widths(page, "acting-coach-application")

    # The interview, at the time Chloe was given: 10:00 in Tokyo, a week ahead of her today.
    day = chloe.today() + timedelta(days=7)
    page.get_by_role("link", name="Add an interview").click()
    expect(page.get_by_text("In Chloe Martin’s time zone (Asia/Tokyo).")).to_be_visible()
    page.get_by_label(label("Date and time")).fill(f"{day:%Y-%m-%d}T10:00")
    page.get_by_label(label("Or a new person: name")).fill("Kenji Sato")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Video interview, round 1").wait_for()
    both_widths(page, "acting-coach-interview")

    # The thank-you draft, started for Chloe from the interview's page.
    page.get_by_role("button", name="Write the thank-you").click()
    page.get_by_role("heading", name="Thank-you letter to Kenji Sato").wait_for()
    assert page.get_by_test_id("added-by").inner_text() == "Added by you"

    application = Application.objects.get()
    interview = Interview.objects.get()
    assert (application.owner, application.created_by) == (chloe, coach)
    assert interview.created_by == coach
    assert interview.scheduled_at == datetime(day.year, day.month, day.day, 10, tzinfo=chloe.zone)
    thank_you = interview.follow_ups.get(kind=FollowUpKind.THANK_YOU)
    assert thank_you.due_on == day + timedelta(days=1)
    letter = Letter.objects.get()
    assert (letter.application, letter.created_by, letter.follow_up) == (
        application,
        coach,
        thank_you,
    )
    created = AccessLogEntry.objects.filter(client=chloe, coach=coach, action=AccessAction.CREATED)
    person = Contact.objects.get(owner=chloe)
    assert sorted(created.values_list("what", flat=True)) == sorted(
        [
            f"application: {application}",
            f"interview: {interview}",
            f"contact: {person}",
            f"letter: {letter}",
        ]
    )

    # The client, in her own pages.
    page.context.clear_cookies()
    log_in(chloe)
    page.goto(live_server.url + reverse("applications:list"))
    row = page.get_by_role("row", name="Analytics Engineer")
    assert "Added by your coach Morgan Reyes" in row.inner_text()
    both_widths(page, "acting-client-list")
    page.get_by_role("link", name="Analytics Engineer").click()
    landed_on(page.get_by_role("heading", name="Analytics Engineer", level=1))
    badges = page.get_by_test_id("added-by")
    # The application, its interview and the thank-you draft on the timeline.
    assert badges.all_inner_texts() == ["Added by your coach Morgan Reyes"] * 3
    both_widths(page, "acting-client-application")
    page.get_by_role("link", name=letter.subject).click()
    page.get_by_role("heading", name="Thank-you letter to Kenji Sato").wait_for()
    assert page.get_by_test_id("added-by").inner_text() == "Added by your coach Morgan Reyes"
    both_widths(page, "acting-client-letter")
