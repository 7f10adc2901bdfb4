"""The way back from a client's row: a coach's breadcrumbs lead to their clients and that
client's workspace, never to the coach's own lists; the owner's lead to their own lists."""

import re

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, LetterFactory


def crumbs(page) -> list[tuple[str, str]]:
    """The breadcrumb's links, as (address, text), in order."""
    trail = re.search(r'<ol class="breadcrumb">(.*?)</ol>', page.text, re.S)
    assert trail, "the page has no breadcrumb"
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', trail.group(1))


@pytest.fixture
def rows(owner):
    application = ApplicationFactory(owner=owner, organisation="Acme", position="Analyst")
    interview = InterviewFactory(application=application)
    letter = LetterFactory(application=application)
    contact = ContactFactory(owner=owner, name="Ada Lovelace")
    return {
        "application": application,
        "interview": interview,
        "letter": letter,
        "contact": contact,
    }


def pages(rows):
    """Each page about one of the rows, and the owner's list its breadcrumb starts from."""
    application, interview = rows["application"], rows["interview"]
    applications, contacts = reverse("applications:list"), reverse("contacts:list")
    return [
        (application.get_absolute_url(), applications),
        (reverse("applications:update", args=[application.pk]), applications),
        (reverse("interviews:create", args=[application.pk]), applications),
        (interview.get_absolute_url(), applications),
        (reverse("interviews:update", args=[interview.pk]), applications),
        (reverse("letters:compose", args=[rows["letter"].pk]), applications),
        (rows["contact"].get_absolute_url(), contacts),
        (reverse("contacts:update", args=[rows["contact"].pk]), contacts),
    ]


def test_a_coach_goes_back_to_the_clients_workspace(client, owner, coach_edit, rows):
    client.force_login(coach_edit)
    workspace = reverse("coaching:client", args=[owner.pk])
    for url, own_list in pages(rows):
        page = client.get(url)
        assert page.status_code == 200, url
        trail = crumbs(page)
        assert trail[:2] == [
            (reverse("coaching:dashboard"), "Clients"),
            (workspace, owner.display_name),
        ], url
        assert own_list not in [href for href, _ in trail], url


def test_the_owner_goes_back_to_their_own_lists(client, owner, rows):
    client.force_login(owner)
    for url, own_list in pages(rows):
        page = client.get(url)
        assert page.status_code == 200, url
        trail = crumbs(page)
        assert trail[0][0] == own_list, url
        assert reverse("coaching:dashboard") not in [href for href, _ in trail], url


def test_a_coach_who_deletes_a_clients_row_lands_on_their_workspace(
    client, owner, coach_edit, rows
):
    client.force_login(coach_edit)
    workspace = reverse("coaching:client", args=[owner.pk])
    contact = ContactFactory(owner=owner, name="Nobody Wrote")  # no letter holds it
    for url in [
        reverse("applications:delete", args=[rows["application"].pk]),
        reverse("contacts:delete", args=[contact.pk]),
    ]:
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"] == workspace, url


def test_the_owner_who_deletes_lands_on_their_own_list(client, owner, rows):
    client.force_login(owner)
    response = client.post(reverse("applications:delete", args=[rows["application"].pk]))
    assert response["Location"] == reverse("applications:list")
    response = client.post(reverse("contacts:delete", args=[ContactFactory(owner=owner).pk]))
    assert response["Location"] == reverse("contacts:list")


def test_a_coach_deleting_reads_of_the_clients_contacts_not_their_own(
    client, owner, coach_edit, rows
):
    application, interview = rows["application"], rows["interview"]
    pages = [
        reverse("applications:delete", args=[application.pk]),
        reverse("interviews:delete", args=[interview.pk]),
        reverse("contacts:delete", args=[ContactFactory(owner=owner).pk]),
        rows["contact"].get_absolute_url(),
    ]
    client.force_login(coach_edit)
    for url in pages:
        text = client.get(url).text
        assert "your contacts" not in text and "your open list" not in text, url
        assert "you recorded" not in text and "you already wrote" not in text, url
    text = client.get(pages[0]).text
    assert "stay in Olivia Owner’s contacts" in text and "leaves Olivia Owner’s open list" in text
    assert "stay in Olivia Owner’s contacts" in client.get(pages[1]).text
    assert "from Olivia Owner’s contacts" in client.get(pages[2]).text

    client.force_login(owner)
    assert "The contacts stay in your contacts." in client.get(pages[0]).text
    assert "from your contacts" in client.get(pages[2]).text
