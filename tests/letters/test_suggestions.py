"""Gift ideas: people to introduce, gifts to give again, kinds of gift; only the owner's own."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from followup.applications import services
from followup.letters import suggestions
from followup.letters.models import Gift
from followup.letters.suggestions import significant_words, stem
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db

CARES = "Training for a first marathon; worried about flaky dbt tests"


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, organisation="Acme", position="Data Engineer")


@pytest.fixture
def ada(owner):
    return ContactFactory(owner=owner, name="Ada Park", role="Head of Data", organisation="Acme")


@pytest.fixture
def ben(owner):
    """Ada's colleague on the same interview: introducing him to her would be no gift."""
    return ContactFactory(owner=owner, name="Ben Ruiz", role="Marathon coach", organisation="Acme")


@pytest.fixture
def interview(application, ada, ben):
    zone = ZoneInfo("Europe/London")
    return services.interview_create(
        application=application,
        scheduled_at=datetime.now(zone) - timedelta(hours=2),
        interviewers=[(ada, CARES), (ben, "")],
        today=datetime.now(zone).date(),
        notes="Panel of two; the warehouse migration.",
    )


@pytest.fixture
def letter(application, ada, interview):
    return LetterFactory(application=application, contact=ada, interview=interview)


def contact(owner, name, role="", organisation="", notes=""):
    return ContactFactory(
        owner=owner, name=name, role=role, organisation=organisation, notes=notes, email=""
    )


def ideas_for(letter, viewer):
    interviewer = letter.interview.interviewers.select_related("interview").get(
        contact=letter.contact
    )
    return suggestions.gift_ideas(letter=letter, interviewer=interviewer, viewer=viewer)


def test_words_meet_by_their_stems():
    assert {stem(w) for w in ("marathon", "marathons", "Marathon's")} == {"marathon"}
    assert {stem(w) for w in ("training", "trains", "trainer", "trained")} == {"train"}
    assert {stem(w) for w in ("running", "runs", "run")} == {"run"}
    assert {stem(w) for w in ("study", "studies")} == {"study"}
    assert significant_words("He is training for the first Marathon, and AWS") == {
        "train": "training",
        "marathon": "marathon",
        "aws": "AWS",
    }


def test_people_whose_work_matches_are_offered_by_relevance_with_the_reason(
    owner, stranger, letter
):
    contact(owner, "Rui Costa", "works on marathon training plans", "RunClub")
    contact(owner, "Bea Lima", notes="Ran the Berlin marathon twice.\nLikes cats.")
    contact(owner, "Carl Dunn", "Accountant", "Ledgers Ltd", notes="Sings in a choir.")
    contact(owner, "Dee Voss", "Analytics engineer", notes="Maintains dbt tests and training.")
    contact(stranger, "Sam Stride", "marathon training coach for dbt tests", "RunClub")

    introductions = ideas_for(letter, owner).introductions

    assert [(i.contact.name, i.score, i.reason) for i in introductions] == [
        ("Dee Voss", 3, "Maintains dbt tests and training – matches ‘training’, ‘dbt’, ‘tests’"),
        ("Rui Costa", 2,
         "works on marathon training plans at RunClub – matches ‘training’, ‘marathon’"),
        ("Bea Lima", 1, "Ran the Berlin marathon twice – matches ‘marathon’"),
    ]  # fmt: skip
    # Ben sat on the interview with Ada; the recipient herself is never offered either.
    assert introductions[1].query == (
        f"kind=introduction&introduced_contact={introductions[1].contact.pk}"
        "&inspiration=training+for+a+first+marathon"
    )


def test_nobody_is_introduced_to_the_same_person_twice(owner, letter, application, ada):
    rui = contact(owner, "Rui Costa", "marathon training plans", "RunClub")
    earlier = LetterFactory(application=application, contact=ada, kind="follow_up")
    Gift.objects.create(letter=earlier, kind="introduction", introduced_contact=rui)
    assert ideas_for(letter, owner).introductions == []


def test_a_gift_given_to_someone_else_is_offered_again_but_never_to_the_same_person_twice(
    owner, stranger, letter, application, ada
):
    dora, eve = contact(owner, "Dora Day"), contact(owner, "Eve Eder")
    to_dora = LetterFactory(application=application, contact=dora)
    to_eve = LetterFactory(application=application, contact=eve)
    to_ada = LetterFactory(application=application, contact=ada, kind="follow_up")
    plan = Gift.objects.create(
        letter=to_dora,
        kind="link",
        title="Couch to marathon in 16 weeks",
        url="https://example.com/couch",
        inspiration="her first marathon",
    )
    # Given to Eve too, and to Ada already: offered to neither Ada nor twice.
    Gift.objects.create(
        letter=to_eve,
        kind="link",
        title="dbt tests that never flake",
        url="https://example.com/dbt",
    )
    Gift.objects.create(letter=to_ada, kind="link", url="https://EXAMPLE.com/dbt")
    to_fay = LetterFactory(application=application, contact=contact(owner, "Fay Fox"))
    Gift.objects.create(letter=to_fay, kind="list", title="Bakeries in Lisbon", items="Manteigaria")
    theirs = LetterFactory(application=ApplicationFactory(owner=stranger))
    Gift.objects.create(letter=theirs, kind="link", title="Marathon training", url="https://x.io")

    reuses = ideas_for(letter, owner).reuses

    assert [(r.gift, r.matched) for r in reuses] == [(plan, ("marathon",))]
    assert reuses[0].reason == "given to Dora Day – matches ‘marathon’"


def test_topics_become_kinds_of_gift_with_a_title_and_topic_to_start_from(owner, letter):
    ideas = suggestions.topic_ideas("Loves coffee; she is training for the Lisbon marathon; AWS")
    assert [(i.kind, i.idea, i.title, i.topic) for i in ideas] == [
        ("list", "A short list of places for coffee", "Coffee: places worth trying", "coffee"),
        ("link", "A link about training for the Lisbon marathon, the interest they shared "
         "outside work", "", "training for the Lisbon marathon"),
        ("article", "An article on AWS", "AWS", "AWS"),
    ]  # fmt: skip
    assert ideas[0].query == "kind=list&title=Coffee%3A+places+worth+trying&inspiration=coffee"


def test_use_this_idea_opens_the_form_filled_in(owner_client, letter):
    url = reverse("letters:gift", args=[letter.pk])
    response = owner_client.get(url + "?kind=list&title=Coffee%3A+places&inspiration=coffee")
    assert response.status_code == 200
    form = response.context["gift_form"]
    assert (form["kind"].value(), form["title"].value(), form["inspiration"].value()) == (
        "list",
        "Coffee: places",
        "coffee",
    )


def test_giving_again_fills_the_form_from_ones_own_gift_only(
    owner_client, owner, stranger, letter, application
):
    dora = contact(owner, "Dora Day")
    mine = Gift.objects.create(
        letter=LetterFactory(application=application, contact=dora),
        kind="link",
        title="Couch to marathon",
        url="https://example.com/couch",
        inspiration="her first marathon",
    )
    theirs = Gift.objects.create(
        letter=LetterFactory(application=ApplicationFactory(owner=stranger)),
        kind="link",
        title="Secret",
        url="https://example.com/secret",
    )
    url = reverse("letters:gift", args=[letter.pk])

    form = owner_client.get(f"{url}?from_gift={mine.pk}").context["gift_form"]
    assert (form["title"].value(), form["url"].value()) == (mine.title, mine.url)
    form = owner_client.get(f"{url}?from_gift={theirs.pk}").context["gift_form"]
    assert (form["title"].value(), form["url"].value()) == (None, None)
    assert b"Secret" not in owner_client.get(f"{url}?from_gift={theirs.pk}").content


def test_the_composer_shows_the_ideas_with_links_that_fill_the_form(owner_client, owner, letter):
    contact(owner, "Rui Costa", "works on marathon training plans", "RunClub")
    content = owner_client.get(reverse("letters:compose", args=[letter.pk])).content.decode()
    assert "works on marathon training plans at RunClub – matches ‘training’, ‘marathon’" in content
    assert 'Use this idea<span class="visually-hidden">: introduce Rui Costa</span>' in content
    assert "An article on flaky dbt tests" in content


def test_a_stranger_with_matching_words_never_appears(client, stranger, owner, letter):
    contact(stranger, "Sam Stride", "marathon training coach", "RunClub")
    contact(owner, "Rui Costa", "marathon training plans", "RunClub")
    client.force_login(owner)
    content = client.get(reverse("letters:compose", args=[letter.pk])).content.decode()
    assert "Rui Costa" in content and "Sam Stride" not in content


def add_matching_people(owner, application, numbers):
    """People whose work matches Ada's interests, each also given a gift on a matching topic."""
    for n in numbers:
        contact(owner, f"Runner {n}", "marathon training", f"Club {n}", notes="dbt tests")
        to_them = LetterFactory(application=application, contact=contact(owner, f"Friend {n}"))
        Gift.objects.create(
            letter=to_them, kind="link", title=f"Marathon {n}", url=f"https://{n}.io"
        )


@pytest.mark.parametrize("people", [3, 30])
def test_the_composers_queries_do_not_grow_with_the_contact_book(
    owner_client, owner, letter, application, django_assert_num_queries, people
):
    add_matching_people(owner, application, range(people))
    url = reverse("letters:compose", args=[letter.pk])
    # 1 session, 2 user, 3 the letter (with application, owner, contact, interview and its gift,
    # none here), 4 the interviewer and interview, then the ideas: 5 what Ada was already given,
    # 6 the matching contacts, 7 the matching gifts given to others (with their letters'
    # contacts); 8 the review panel's comments, 9 the coaches who may comment, 10 the people
    # the gift form may introduce.
    with django_assert_num_queries(10):
        response = owner_client.get(url)
    ideas = response.context["composer"].ideas
    assert (len(ideas.introductions), len(ideas.reuses)) == (3, 3)


def test_giving_again_is_shown_in_the_composer_without_introducing_colleagues(
    owner_client, owner, letter, application, ben
):
    dora = contact(owner, "Dora Day")
    to_dora = LetterFactory(application=application, contact=dora)
    Gift.objects.create(
        letter=to_dora,
        kind="link",
        title="Couch to marathon",
        url="https://example.com/couch",
        inspiration="her first marathon",
    )
    to_dora_again = LetterFactory(application=application, contact=dora, kind="follow_up")
    Gift.objects.create(
        letter=to_dora_again, kind="introduction", introduced_contact=ben, inspiration="marathon"
    )

    response = owner_client.get(reverse("letters:compose", args=[letter.pk]))

    assert [r.label for r in response.context["composer"].ideas.reuses] == ["Couch to marathon"]
    assert (
        "<strong>Couch to marathon</strong> (link to a website), given to Dora Day – matches "
        "‘marathon’" in response.content.decode()
    )
