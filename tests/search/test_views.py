"""The search page and the letters filter, through HTTP."""

import pytest
from django.urls import reverse

from followup.coaching.models import AccessLogEntry, Level
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    LetterFactory,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:results")


def groups(response) -> dict[str, list[str]]:
    return {
        group.kind: [hit.title for hit in group.hits]
        for group in response.context["results"].groups
    }


@pytest.fixture
def harbour(owner):
    """One of each kind of row mentioning "Harbour", and a letter that does not."""
    application = ApplicationFactory(
        owner=owner, organisation="Harbour Logistics", position="Data Engineer"
    )
    contact = ContactFactory(owner=owner, name="Ada Park", organisation="Harbour Logistics")
    InterviewFactory(application=application, notes="Met the Harbour platform team")
    LetterFactory(
        application=application,
        contact=contact,
        subject="Thank you",
        body="Thank you for showing me the Harbour warehouse.",
    )
    LetterFactory(application=application, contact=contact, subject="Other", body="Nothing here.")
    return application


def test_results_are_grouped_by_kind_with_counts_and_links(owner_client, harbour):
    response = owner_client.get(SEARCH, {"q": "harbour"})
    assert response.status_code == 200
    found = response.context["results"]
    assert [(group.kind, group.total) for group in found.groups] == [
        ("Applications", 1),
        ("Interviews", 1),
        ("Contacts", 1),
        ("Letters", 1),
    ]
    assert groups(response)["Letters"] == ["Thank you"]
    html = response.content.decode()
    assert f'href="{harbour.get_absolute_url()}"' in html
    letter = harbour.letters.get(subject="Thank you")
    assert f'href="{reverse("letters:compose", args=[letter.pk])}"' in html


def test_stemmed_words_and_web_search_syntax(owner_client, harbour):
    # "warehouses" finds "warehouse"; "-platform" leaves out the interview that says it.
    response = owner_client.get(SEARCH, {"q": "harbour -platform"})
    assert "Interviews" not in groups(response)
    assert groups(response)["Letters"] == ["Thank you"]
    response = owner_client.get(SEARCH, {"q": "warehouses"})
    assert groups(response) == {"Letters": ["Thank you"]}


def test_the_match_is_highlighted_and_stored_html_stays_text(owner_client, owner):
    # ts_headline drops what its parser takes for tags (the <script> pair) but keeps the rest
    # as it was stored, such as this <img>: only escaping makes it text.
    LetterFactory(
        application=ApplicationFactory(owner=owner),
        subject="Hello",
        body='<script>alert("x")</script> 5 < 6 & <img src=x onerror=alert(1)> harbour tour.',
    )
    response = owner_client.get(SEARCH, {"q": "harbour"})
    html = response.content.decode()
    assert "<script>alert" not in html and "<img" not in html
    assert "5 &lt; 6 &amp; &lt;img src=x onerror=alert(1)&gt; <mark>harbour</mark> tour" in html


def test_the_query_is_kept_in_the_boxes_escaped(owner_client, harbour):
    response = owner_client.get(SEARCH, {"q": 'harbour "><script>'})
    html = response.content.decode()
    assert 'value="harbour &quot;&gt;&lt;script&gt;"' in html
    assert html.count('value="harbour &quot;&gt;&lt;script&gt;"') == 2  # navbar and page


def test_empty_and_no_result_states(owner_client, harbour):
    response = owner_client.get(SEARCH)
    assert response.context["results"] is None
    assert "Find any word" in response.content.decode()
    response = owner_client.get(SEARCH, {"q": "zanzibar"})
    assert response.context["results"].groups == []
    assert "Nothing matches “zanzibar”." in response.content.decode()


def test_another_persons_rows_are_never_found(stranger_client, harbour):
    response = stranger_client.get(SEARCH, {"q": "harbour"})
    assert response.context["results"].groups == []


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(SEARCH, {"q": "harbour"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_coach_finds_consenting_clients_rows_labelled_and_logged(client, owner, harbour):
    coach = make_coach(name="Vera View")
    coaching_between(coach, owner, Level.VIEW)
    own = ApplicationFactory(owner=coach, organisation="Harbour Coaching Ltd")
    someone_else = ApplicationFactory(organisation="Harbour Secrets").owner
    client.force_login(coach)
    response = client.get(SEARCH, {"q": "harbour"})
    applications = response.context["results"].groups[0]
    assert {hit.title: hit.client for hit in applications.hits} == {
        str(harbour): "Olivia Owner",
        str(own): None,
    }
    assert "Harbour Secrets" not in response.content.decode()
    assert "Olivia Owner" in response.content.decode()
    [entry] = AccessLogEntry.objects.filter(coach=coach)
    assert (entry.client, entry.action) == (owner, "viewed")
    assert not AccessLogEntry.objects.filter(client=someone_else).exists()


def test_the_letters_list_filters_by_the_same_search(owner_client, owner, harbour):
    url = reverse("letters:list")
    response = owner_client.get(url, {"q": "warehouses"})
    assert [letter.subject for letter in response.context["page"].object_list] == ["Thank you"]
    assert 'value="warehouses"' in response.content.decode()
    response = owner_client.get(url, {"q": "zanzibar"})
    assert "No letter matches “zanzibar”." in response.content.decode()
    response = owner_client.get(url, {"q": "warehouses", "state": "sent"})
    assert list(response.context["page"].object_list) == []


def test_the_letters_filter_shows_only_ones_own(stranger_client, stranger, harbour):
    LetterFactory(application=ApplicationFactory(owner=stranger), body="harbour")
    response = stranger_client.get(reverse("letters:list"), {"q": "harbour"})
    [letter] = response.context["page"].object_list
    assert letter.application.owner == stranger


def rows_of_each_kind(owner, count: int) -> None:
    """`count` rows of each kind; every other one recorded by a coach (with a badge)."""
    coach = make_coach(name="Rowan Recorder")
    for n in range(count):
        by = coach if n % 2 else owner
        application = ApplicationFactory(owner=owner, organisation="Harbour", created_by=by)
        contact = ContactFactory(owner=owner, organisation="Harbour")
        InterviewFactory(application=application, location="Harbour office", created_by=by)
        LetterFactory(application=application, contact=contact, body="harbour", created_by=by)


@pytest.mark.parametrize("count", [3, 300])
def test_query_count_does_not_grow_with_the_rows(
    owner_client, owner, count, django_assert_num_queries
):
    rows_of_each_kind(owner, count)
    # 1. the session, 2. the user,
    # 3. applications, 4. interviews, 5. contacts, 6. letters: the best rows of each kind with
    #    their owners, who recorded them (and a letter's contact) joined, and the count of all
    #    matches in a window.
    with django_assert_num_queries(6):
        response = owner_client.get(SEARCH, {"q": "harbour"})
    assert [group.total for group in response.context["results"].groups] == [count] * 4
    assert "Added by your coach Rowan Recorder" in response.content.decode()


@pytest.mark.parametrize("count", [3, 300])
def test_a_coachs_query_count_does_not_grow_with_the_clients_rows(
    client, owner, count, django_assert_num_queries
):
    coach = make_coach()
    coaching_between(coach, owner, Level.VIEW)
    rows_of_each_kind(owner, count)
    client.force_login(coach)
    # 1. the session, 2. the user, 3. the clients who consent (the access rule),
    # 4-7. applications, interviews, contacts, letters, as for anyone,
    # 8. one access-log line per client shown, in one INSERT.
    with django_assert_num_queries(8):
        response = client.get(SEARCH, {"q": "harbour"})
    assert [group.total for group in response.context["results"].groups] == [count] * 4


def test_words_too_common_to_search_find_nothing_quietly(owner_client, harbour):
    response = owner_client.get(SEARCH, {"q": "the -"})
    assert response.status_code == 200
    assert response.context["results"].groups == []


def test_control_characters_in_the_query_are_spaces(owner_client, harbour):
    # PostgreSQL refuses a NUL in any string: it must not reach the query.
    response = owner_client.get(SEARCH, {"q": "harbour\x00\nwarehouse"})
    assert response.context["query"] == "harbour warehouse"
    assert groups(response) == {"Letters": ["Thank you"]}
    response = owner_client.get(reverse("letters:list"), {"q": "\x00"})
    assert response.status_code == 200


def test_a_draft_is_found_by_a_word_in_its_parts_before_it_has_a_body(owner_client, harbour):
    """The composer keeps a draft's text in its parts; the body stays empty until assembled."""
    LetterFactory(
        application=harbour,
        contact=ContactFactory(owner=harbour.owner, name="Ben Ode"),
        subject="Tuesday",
        great_fit="I ran overnight batch migrations for three years.",
        body="",
    )
    assert groups(owner_client.get(SEARCH, {"q": "overnight"})) == {"Letters": ["Tuesday"]}


def headlines(response) -> dict[str, list[str]]:
    return {
        group.kind: [str(hit.headline) for hit in group.hits]
        for group in response.context["results"].groups
    }


def test_a_snippet_keeps_its_fields_apart_and_leaves_empty_ones_out(owner_client, owner):
    ApplicationFactory(
        owner=owner, organisation="Harbour Logistics", position="Data Engineer", notes=""
    )
    ContactFactory(
        owner=owner,
        name="Ada Park",
        role="",
        organisation="Harbour Logistics",
        email="",
        notes="Met at the harbour meetup",
    )
    found = headlines(owner_client.get(SEARCH, {"q": "harbour"}))
    assert found["Applications"] == ["<mark>Harbour</mark> Logistics · Data Engineer"]
    [contact] = found["Contacts"]
    assert (
        "Park · <mark>Harbour</mark> Logistics · Met at the <mark>harbour</mark> meetup" in contact
    )
    assert "·  ·" not in contact and not contact.endswith("·")
