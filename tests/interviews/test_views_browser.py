"""The interview form in a real browser: the button that adds another interviewer's row."""

import pytest

from followup.interviews.models import Interview
from tests.conftest import label
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_another_interviewer_row_and_save(live_server, page, log_in, owner):
    application = ApplicationFactory(owner=owner, organisation="Acme Analytics")
    ContactFactory(owner=owner, name="Ada Park", organisation="Acme Analytics")
    log_in(owner)
    page.goto(f"{live_server.url}/applications/{application.pk}/interviews/new/")
    page.get_by_label(label("Date and time")).fill("2026-03-04T14:30")

    first = page.locator(".interviewer-row").nth(0)
    first.get_by_label("Someone in your contacts").select_option(label="Ada Park (Acme Analytics)")
    first.get_by_label(label("What they said they care about")).fill("Sailing")

    page.get_by_role("button", name="Add another interviewer").click()
    second = page.locator(".interviewer-row").nth(1)
    second.get_by_label("Or a new person: name").fill("Ben Ruiz")
    second.get_by_label(label("What they said they care about")).fill("Rust")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Who was there").wait_for()

    interview = Interview.objects.get()
    interviewers = {
        interviewer.contact.name: interviewer.cares_about
        for interviewer in interview.interviewers.all()
    }
    assert interviewers == {"Ada Park": "Sailing", "Ben Ruiz": "Rust"}
    assert page.get_by_role("button", name="Write the thank-you").count() == 2
