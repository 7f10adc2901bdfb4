"""The application and interview pages in a real browser, on a phone-sized screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followup.applications import services
from tests.conftest import screenshot
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
