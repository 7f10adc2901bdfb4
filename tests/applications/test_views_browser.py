"""The application and interview pages in a real browser: a phone-sized screen and the panel JS."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followup.applications import services
from followup.applications.models import Interview
from tests.conftest import label, screenshot
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_list_detail_and_interview_pages_fit_a_phone(live_server, page, log_in, owner):
    application = ApplicationFactory(
        owner=owner,
        organisation="A Very Long Organisation Name Incorporated",
        position="Principal Data Platform Engineer",
        posting_url="https://jobs.example.org/postings/12345678901234567890/very-long-path",
    )
    ada = ContactFactory(owner=owner, name="Ada Park")
    interview = services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=3),
        interviewers=[(ada, "Data quality and sailing")],
        today=owner.today(),
        location="https://meet.example.org/a-very-long-meeting-link-that-goes-on-and-on",
    )
    LetterFactory(application=application, contact=ada, interview=interview)
    page.set_viewport_size(PHONE)
    log_in(owner)
    for path, name in [
        ("/applications/", "applications-list-phone"),
        (application.get_absolute_url(), "application-detail-phone"),
        (interview.get_absolute_url(), "interview-detail-phone"),
        (f"/applications/{application.pk}/interviews/new/", "interview-form-phone"),
        ("/contacts/", "contacts-list-phone"),
        (ada.get_absolute_url(), "contact-detail-phone"),
    ]:
        page.goto(live_server.url + path)
        screenshot(page, name)
        assert fits_the_screen(page), path


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
    seats = {seat.contact.name: seat.cares_about for seat in interview.panel.all()}
    assert seats == {"Ada Park": "Sailing", "Ben Ruiz": "Rust"}
    assert page.get_by_role("link", name="Write the thank-you").count() == 2
