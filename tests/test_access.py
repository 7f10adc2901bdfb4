"""The one access rule, walked over every URL that takes an object id.

The list of URLs comes from the URL configuration itself: a new view that takes an id and has no
entry in OBJECT_OF below fails `test_every_object_url_is_covered`, so it cannot skip this check.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from followup.applications import services
from followup.applications.models import (
    Application,
    ApplicationEvent,
    FollowUp,
    Interview,
    Interviewer,
)
from followup.contacts.models import Contact
from followup.letters.models import Gift, Letter
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

# URL name -> the kind of object its id names.
OBJECT_OF = {
    "applications:detail": "application",
    "applications:update": "application",
    "applications:delete": "application",
    "applications:status": "application",
    "applications:reply": "application",
    "applications:interview_create": "application",
    "applications:interview": "interview",
    "applications:interview_update": "interview",
    "applications:interview_delete": "interview",
    "applications:follow_up_skip": "follow_up",
    "contacts:detail": "contact",
    "contacts:update": "contact",
    "contacts:delete": "contact",
    "letters:compose": "letter",
    "letters:preview": "letter",
    "letters:gift": "letter",
    "letters:gift_delete": "letter",
    "letters:eml": "letter",
    "letters:mark_sent": "letter",
    "letters:delete": "letter",
    "letters:gift_file": "gift",
}
# Namespaces whose ids are not user data (the admin has its own staff-only rule).
NOT_USER_DATA = {"admin", "reminders"}


def takes_an_id(pattern: URLPattern) -> bool:
    return any(isinstance(c, IntConverter) for c in pattern.pattern.converters.values())


def object_url_names() -> set[str]:
    """Every named URL pattern with an int converter, outside NOT_USER_DATA."""
    found = set()

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if inner not in NOT_USER_DATA:
                    walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name and takes_an_id(entry):
                found.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, None)
    return found


def test_every_object_url_is_covered():
    assert object_url_names() == set(OBJECT_OF)


@pytest.fixture
def owned(owner, settings, tmp_path):
    """One of each object, all belonging to the owner."""
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(owner=owner)
    contact = ContactFactory(owner=owner)
    interview = services.interview_create(
        application=application,
        scheduled_at=application.created_at,
        interviewers=[(contact, "data quality")],
        today=owner.today(),
    )
    letter = LetterFactory(application=application, contact=contact, interview=interview)
    gift = Gift(letter=letter, kind="article", title="Notes", inspiration="data quality")
    gift.file.save("notes.txt", ContentFile(b"notes"), save=False)
    gift.file_name = "notes.txt"
    gift.save()
    return {
        "application": application,
        "contact": ContactFactory(owner=owner),  # not referenced by a letter: deletable
        "interview": interview,
        "letter": letter,
        "gift": gift,
        "follow_up": FollowUp.objects.get(interview=interview),
    }


def snapshot() -> dict:
    """Every user-data row, to show a refused request changed nothing."""
    models = [
        Application,
        ApplicationEvent,
        Contact,
        Interview,
        Interviewer,
        FollowUp,
        Letter,
        Gift,
    ]
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in models}


# A POST body that would change things if it were accepted, with another user's id planted in it.
HOSTILE_POST = {
    "organisation": "Changed",
    "position": "Changed",
    "status": "hired",
    "name": "Changed",
    "subject": "Changed",
    "body": "Changed",
    "text": "Changed",
    "kind": "link",
    "url": "https://example.com/x",
    "owner": "1",
    "application": "1",
    "sent_on": "2026-01-01",
    "send_anyway": "on",
}


@pytest.mark.parametrize("name", sorted(OBJECT_OF))
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_stranger_gets_not_found_and_changes_nothing(stranger_client, owned, name, method):
    url = reverse(name, args=[owned[OBJECT_OF[name]].pk])
    before = snapshot()
    response = getattr(stranger_client, method)(url, HOSTILE_POST)
    # POST-only views refuse GET with 405 before looking anything up; nothing leaks either way.
    assert response.status_code in ({404, 405} if method == "get" else {404})
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(OBJECT_OF))
def test_anonymous_visitors_are_sent_to_log_in(client, owned, name):
    url = reverse(name, args=[owned[OBJECT_OF[name]].pk])
    before = snapshot()
    response = client.post(url, HOSTILE_POST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(OBJECT_OF))
def test_the_owner_reaches_every_object_url(owner_client, owned, name):
    url = reverse(name, args=[owned[OBJECT_OF[name]].pk])
    response = owner_client.get(url)
    assert response.status_code in {200, 405}
