"""The coach's review queue: what clients asked them to review, until it is done or sent.

A review request used to reach the coach only by email. The dashboard lists every letter
waiting, across clients, oldest request first; a coach closes one with "Mark the review done"
(who and when are kept, the client reads it), and marking the letter sent closes it too.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from followup.accounts.models import User
from followup.coaching.models import AccessLogEntry, Level
from followup.coaching.review_queue import review_queue
from followup.coaching.selectors import clients_of
from followup.coaching.services import review
from followup.letters.models import Letter
from followup.reminders.digest import coach_digest_email, coach_digest_for
from followup.reminders.services.sweep import reminders_sweep
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import LetterFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("coaching:dashboard")


def asked(letter, *, ago: timedelta) -> Letter:
    """`letter` with a review asked for `ago` before now (as `review_request` records it)."""
    Letter.objects.filter(pk=letter.pk).update(review_requested_at=timezone.now() - ago)
    letter.refresh_from_db()
    return letter


def letter_of(person, **fields) -> Letter:
    return LetterFactory(
        application__owner=person,
        application__position=fields.pop("position", "Analyst"),
        application__organisation="Acme",
        contact__name=fields.pop("to", "Ada Park"),
        **fields,
    )


@pytest.fixture
def coach():
    return make_coach(email="queue.coach@example.com", name="Quinn Queue")


@pytest.fixture
def clients(coach):
    """Three clients: two let the coach comment (comment, edit), one only lets them read."""
    chloe = UserFactory(email="chloe@example.com", name="Chloe Martin", time_zone="Europe/Paris")
    eddie = UserFactory(email="eddie@example.com", name="Eddie Stone")
    vera = UserFactory(email="vera@example.com", name="Vera Reader")
    coaching_between(coach, chloe, Level.COMMENT)
    coaching_between(coach, eddie, Level.EDIT)
    coaching_between(coach, vera, Level.VIEW)
    return {"chloe": chloe, "eddie": eddie, "vera": vera}


@pytest.fixture
def waiting(clients):
    """Letters waiting for review across clients, asked at different times; and some that are
    not waiting (never asked, sent, a view-only client's, another coach's client's)."""
    letters = {
        "chloe new": asked(letter_of(clients["chloe"], to="Ben"), ago=timedelta(hours=5)),
        "eddie old": asked(
            letter_of(clients["eddie"], kind="follow_up", to="Cy"), ago=timedelta(days=3, hours=2)
        ),
        "chloe old": asked(letter_of(clients["chloe"], to="Di"), ago=timedelta(days=1, hours=1)),
    }
    letter_of(clients["chloe"], to="Never asked")
    asked(
        letter_of(clients["eddie"], to="Sent already", sent_on=timezone.localdate()),
        ago=timedelta(days=9),
    )
    asked(letter_of(clients["vera"], to="View only"), ago=timedelta(days=8))
    stranger = UserFactory(email="someone@example.com")
    coaching_between(make_coach(email="other@example.com"), stranger, Level.EDIT)
    asked(letter_of(stranger, to="Not yours"), ago=timedelta(days=7))
    return letters


def queue_of(response):
    return response.context["dashboard"].reviews


def test_the_queue_lists_every_letter_waiting_across_clients_oldest_first(client, coach, waiting):
    client.force_login(coach)
    response = client.get(DASHBOARD)
    queue = queue_of(response)
    assert [item.letter_id for item in queue] == [
        waiting["eddie old"].pk,
        waiting["chloe old"].pk,
        waiting["chloe new"].pk,
    ]
    assert [(item.client.name, item.kind, item.to) for item in queue] == [
        ("Eddie Stone", "Follow-up letter", "Cy"),
        ("Chloe Martin", "Thank-you letter", "Di"),
        ("Chloe Martin", "Thank-you letter", "Ben"),
    ]
    # How long each has waited, in words, the largest unit only.
    assert [item.waited.replace("\xa0", " ") for item in queue] == ["3 days", "1 day", "5 hours"]

    page = response.content.decode()
    section = page[page.index('data-testid="review-queue"') :]
    for letter in waiting.values():
        assert reverse("letters:compose", args=[letter.pk]) in section
    for absent in ("Never asked", "Sent already", "View only", "Not yours"):
        assert absent not in page
    assert "Waiting for your review" in page


def test_a_request_under_a_minute_old_was_asked_just_now(client, coach, clients):
    """Not "waiting 0 minutes": a request of the last minute reads "asked just now"."""
    letter = asked(letter_of(clients["chloe"], to="Ben"), ago=timedelta(seconds=20))
    asked(letter_of(clients["eddie"], to="Cy"), ago=timedelta(minutes=3))
    client.force_login(coach)
    response = client.get(DASHBOARD)
    assert [item.waited.replace("\xa0", " ") for item in queue_of(response)] == [
        "3 minutes",
        "just now",
    ]
    page = response.content.decode().replace("\xa0", " ")
    assert "0 minutes" not in page
    line = page[page.index(f'data-letter="{letter.pk}"') :]
    assert line[: line.index("</li>")].count(">asked just now</span>") == 1
    assert ">waiting 3 minutes</span>" in page


def test_with_nothing_waiting_the_dashboard_says_where_requests_will_appear(client, coach, clients):
    client.force_login(coach)
    response = client.get(DASHBOARD)
    assert queue_of(response) == []
    assert "when a client asks for your review, it appears here" in response.content.decode()


def test_a_client_asking_puts_the_letter_in_the_queue(
    client, coach, clients, django_capture_on_commit_callbacks
):
    letter = letter_of(clients["chloe"])
    with django_capture_on_commit_callbacks(execute=True):
        review.review_request(letter=letter, requested_by=clients["chloe"])
    assert [m.to for m in mail.outbox] == [[coach.email]]
    client.force_login(coach)
    assert [item.letter_id for item in queue_of(client.get(DASHBOARD))] == [letter.pk]


def test_the_coach_marks_it_done_and_the_client_reads_reviewed_by_your_coach(
    client, coach, clients, waiting
):
    letter = waiting["chloe old"]
    client.force_login(coach)
    composer = client.get(reverse("letters:compose", args=[letter.pk])).content.decode()
    assert "Mark the review done" in composer

    response = client.post(reverse("coaching:review_done", args=[letter.pk]))

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.review_requested_at is None
    assert letter.reviewed_by == coach
    assert timezone.now() - letter.reviewed_at < timedelta(minutes=1)
    assert letter.pk not in [item.letter_id for item in queue_of(client.get(DASHBOARD))]
    assert AccessLogEntry.objects.filter(
        coach=coach, client=clients["chloe"], action="commented"
    ).exists()
    coach_view = client.get(reverse("letters:compose", args=[letter.pk])).content.decode()
    assert "You marked the review done" in coach_view
    assert "Mark the review done" not in coach_view

    client.force_login(clients["chloe"])
    page = client.get(reverse("letters:compose", args=[letter.pk])).content.decode()
    assert "Reviewed by your coach Quinn Queue" in page
    # The client may ask again; the new request goes back to the queue.
    review.review_request(letter=letter, requested_by=clients["chloe"])
    client.force_login(coach)
    assert letter.pk in [item.letter_id for item in queue_of(client.get(DASHBOARD))]


def test_marking_it_done_twice_says_it_was_closed_and_changes_nothing(client, coach, waiting):
    letter = waiting["eddie old"]
    client.force_login(coach)
    client.post(reverse("coaching:review_done", args=[letter.pk]))
    first = Letter.objects.get(pk=letter.pk).reviewed_at
    response = client.post(reverse("coaching:review_done", args=[letter.pk]), follow=True)
    assert "it was closed already" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).reviewed_at == first


def test_the_client_marking_the_letter_sent_closes_the_review(client, coach, clients, waiting):
    letter = waiting["chloe new"]
    client.force_login(clients["chloe"])
    response = client.post(
        reverse("letters:mark_sent", args=[letter.pk]),
        {"sent_on": clients["chloe"].today().isoformat(), "send_anyway": "on"},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.sent_on, letter.review_requested_at) == (clients["chloe"].today(), None)
    client.force_login(coach)
    assert letter.pk not in [item.letter_id for item in queue_of(client.get(DASHBOARD))]


def test_resolving_every_comment_leaves_the_review_open_for_the_coach(coach, clients, waiting):
    letter = waiting["chloe old"]
    comment = review.comment_add(letter=letter, author=coach, part="", text="Shorter.")
    review.comment_resolve(comment=comment, user=clients["chloe"])
    letter.refresh_from_db()
    assert letter.review_requested_at is not None
    queue = review_queue(coach, clients={clients["chloe"].pk: clients["chloe"]})
    assert letter.pk in [item.letter_id for item in queue]


@pytest.mark.parametrize("who", ["view coach", "owner", "other coach"])
def test_only_a_coach_who_may_comment_marks_a_review_done(client, coach, clients, waiting, who):
    letter = waiting["chloe old"]
    viewer = make_coach(email="viewer@example.com")
    coaching_between(viewer, clients["chloe"], Level.VIEW)
    actor = {
        "view coach": viewer,
        "owner": clients["chloe"],
        "other coach": make_coach(email="nobody@example.com"),
    }[who]
    client.force_login(actor)
    if who == "view coach":
        page = client.get(reverse("letters:compose", args=[letter.pk])).content.decode()
        assert "Mark the review done" not in page
    response = client.post(reverse("coaching:review_done", args=[letter.pk]))
    assert response.status_code == (404 if who == "other coach" else 403)
    letter.refresh_from_db()
    assert letter.review_requested_at is not None and letter.reviewed_at is None


# --- The coach digest --------------------------------------------------------------------------


def test_the_coach_digest_counts_the_letters_waiting(coach, clients, waiting, settings):
    report = coach_digest_for(coach, clients=list(clients.values()), now=timezone.now())
    # The view-only client's letter is not the coach's to review, nor the sent one.
    assert report.reviews_waiting == 3
    assert not report.is_empty

    reminder = SimpleNamespace(recipient=coach, message_id="<coach_digest.1@followup.test>")
    email = coach_digest_email(reminder=reminder, report=report)
    assert "3 letters to review" in email.subject
    assert "3 letters are waiting for your review" in email.body
    assert settings.SITE_URL + DASHBOARD in email.body
    assert "3 letters are waiting for your review" in email.alternatives[0][0]


@pytest.mark.django_db(transaction=True)
def test_a_coach_whose_only_news_is_a_review_waiting_gets_the_digest(settings):
    # Through the reminder pipeline: the sweep claims the coach's digest, delivery sends it.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    coach = make_coach(email="digest.coach@example.com", reminder_days="0123456")
    chloe = UserFactory(email="chloe.d@example.com", name="Chloe Martin")
    coaching_between(coach, chloe, Level.COMMENT)
    asked(letter_of(chloe), ago=timedelta(days=2))
    mail.outbox.clear()
    User.objects.filter(pk=coach.pk).update(coach_digest_at=timezone.now() - timedelta(minutes=1))

    reminders_sweep()

    [message] = mail.outbox
    assert message.to == [coach.email]
    assert "1 letter to review" in message.subject
    assert "1 letter is waiting for your review" in message.body


def test_a_digest_with_only_reviews_waiting_is_not_empty(coach, clients):
    asked(letter_of(clients["eddie"]), ago=timedelta(days=2))
    report = coach_digest_for(coach, clients=list(clients.values()), now=timezone.now())
    assert (report.clients, report.reviews_waiting, report.is_empty) == ([], 1, False)
    assert coach_digest_for(coach, clients=[], now=timezone.now()).is_empty


def test_the_review_queue_is_one_query_however_many_letters(
    coach, clients, django_assert_num_queries
):
    for n in range(12):
        asked(letter_of(clients["chloe" if n % 2 else "eddie"]), ago=timedelta(hours=n + 1))
    commenting = {pk: c for pk, c in clients_of(coach).items() if c.name != "Vera Reader"}
    with django_assert_num_queries(1):
        queue = review_queue(coach, clients=commenting)
    assert len(queue) == 12
    assert [item.requested_at for item in queue] == sorted(item.requested_at for item in queue)
