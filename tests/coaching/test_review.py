"""Letter review: the job seeker asks, the coach comments, the job seeker resolves; by email."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from followup.accounts.services import account_delete
from followup.coaching.models import AccessLogEntry, Comment, Level
from followup.coaching.services import consent, review
from followup.letters.models import Letter
from tests.factories import LetterFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- People and a draft: consent is made as people make it, invitation then acceptance. -------


def coach_at(client, level, **fields):
    coach = UserFactory(is_coach=True, **fields)
    invitation = consent.client_invites_coach(client=client, email=coach.email, level=level)
    consent.invitation_accept(coaching=invitation, user=coach)
    return coach


@pytest.fixture
def commenter(owner):
    return coach_at(owner, Level.COMMENT, email="cora@coach.example", name="Cora Comment")


@pytest.fixture
def viewer(owner):
    return coach_at(owner, Level.VIEW, email="vic@coach.example", name="Vic View")


@pytest.fixture
def editor(owner):
    return coach_at(owner, Level.EDIT, email="eve@coach.example", name="Eve Edit")


@pytest.fixture
def revoked(owner):
    coach = coach_at(owner, Level.EDIT, email="rex@coach.example", name="Rex Revoked")
    consent.coaching_end(coaching=coach.coachings_as_coach.get())
    return coach


@pytest.fixture
def letter(owner):
    return LetterFactory(
        application__owner=owner,
        application__organisation="Acme",
        application__position="Data Engineer",
        contact__name="Ada Park",
        subject="Thank you for Monday",
    )


@pytest.fixture
def comment(letter, commenter):
    return review.comment_add(
        letter=letter, author=commenter, part="great_fit", text="Be concrete."
    )


def login(client, user):
    client.force_login(user)
    return client


def compose_url(letter):
    return reverse("letters:compose", args=[letter.pk])


def panel(response) -> str:
    """The review panel of a composer page."""
    page = response.content.decode()
    start = page.index('data-testid="review-panel"')
    return page[start : page.index("</section>", start)]


def state(letter) -> dict:
    """What a refused request must leave untouched."""
    letter.refresh_from_db()
    return {
        "review_requested_at": letter.review_requested_at,
        "comments": sorted(map(repr, Comment.objects.values_list())),
        "commented": AccessLogEntry.objects.filter(action="commented").count(),
    }


# --- The whole turn, through HTTP --------------------------------------------------------------


def test_request_comment_resolve_with_an_email_at_each_turn(
    client, owner, commenter, viewer, letter, settings, django_capture_on_commit_callbacks
):
    # The owner asks: only the coach who may comment is emailed, with a link to the composer.
    login(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:review_request", args=[letter.pk]))
    assert response.status_code == 302 and response["Location"] == compose_url(letter)
    letter.refresh_from_db()
    assert letter.review_requested_at is not None
    assert [m.to for m in mail.outbox] == [["cora@coach.example"]]
    request_email = mail.outbox[0]
    assert "Olivia Owner" in request_email.subject
    assert settings.SITE_URL + compose_url(letter) in request_email.body
    assert settings.SITE_URL + compose_url(letter) in request_email.alternatives[0][0]
    assert "Review requested on" in client.get(compose_url(letter)).content.decode()

    # The coach comments on the whole letter and on one part; the owner hears of each.
    mail.outbox.clear()
    login(client, commenter)
    page = client.get(compose_url(letter)).content.decode()
    assert reverse("coaching:comment_add", args=[letter.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("coaching:comment_add", args=[letter.pk]),
            {"part": "", "text": "Warm and short. Good."},
        )
        response = client.post(
            reverse("coaching:comment_add", args=[letter.pk]),
            {"part": "great_fit", "text": "Name the migration you led."},
        )
    assert response.status_code == 302 and response["Location"] == compose_url(letter)
    assert [m.to for m in mail.outbox] == [["owner@example.com"], ["owner@example.com"]]
    notice = mail.outbox[1]
    assert "Cora Comment" in notice.subject
    assert "Name the migration you led." in notice.body
    assert "why a great fit" in notice.body
    assert settings.SITE_URL + compose_url(letter) in notice.body

    # The owner sees both beside the composer: the whole letter first, then the part.
    login(client, owner)
    page = panel(client.get(compose_url(letter)))
    assert page.index("Warm and short. Good.") < page.index("Name the migration you led.")
    assert page.index("The whole letter") < page.index("Why a great fit")
    assert page.count('data-resolved="false"') == 2
    assert page.count("Mark resolved") == 2

    # Resolving comments leaves the review open: the coach says when it is done. Resolved
    # comments go grey.
    for comment in Comment.objects.order_by("pk"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("coaching:comment_resolve", args=[comment.pk]))
        assert response.status_code == 302 and response["Location"] == compose_url(letter)
    letter.refresh_from_db()
    assert letter.review_requested_at is not None
    assert not Comment.objects.filter(resolved_at__isnull=True).exists()
    page = client.get(compose_url(letter)).content.decode()
    assert page.count('data-resolved="true"') == 2
    assert "Mark resolved" not in page and "Review requested on" in page
    assert len(mail.outbox) == 2  # Resolving tells nobody.

    # The coach marks the review done: who and when are kept, and the owner reads it.
    login(client, commenter)
    response = client.post(reverse("coaching:review_done", args=[letter.pk]))
    assert response.status_code == 302 and response["Location"] == compose_url(letter)
    letter.refresh_from_db()
    assert letter.review_requested_at is None
    assert (letter.reviewed_by, letter.reviewed_at is not None) == (commenter, True)
    login(client, owner)
    state_line = panel(client.get(compose_url(letter)))
    assert "Reviewed by your coach Cora Comment" in state_line
    assert "Review requested on" not in state_line


def test_the_owner_may_answer_in_the_thread_without_mailing_or_logging(
    client, owner, comment, letter, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    login(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coaching:comment_add", args=[letter.pk]),
            {"part": "great_fit", "text": "Done, see the second sentence."},
        )
    assert response.status_code == 302
    assert Comment.objects.filter(author=owner).count() == 1
    assert mail.outbox == []
    assert AccessLogEntry.objects.filter(action="commented").count() == 1  # the coach's only


def test_a_coachs_comment_is_in_the_clients_access_log(client, owner, commenter, letter):
    login(client, commenter).post(
        reverse("coaching:comment_add", args=[letter.pk]), {"part": "", "text": "Nice."}
    )
    entry = AccessLogEntry.objects.get(action="commented")
    assert (entry.client, entry.coach) == (owner, commenter)
    assert "Ada Park" in entry.what
    assert entry.path == compose_url(letter)


# --- Asking for a review ------------------------------------------------------------------------


def test_asking_without_a_coach_who_may_comment_says_so_and_mails_nobody(
    client, owner, viewer, letter, django_capture_on_commit_callbacks
):
    login(client, owner)
    assert "Ask my coach to review" not in client.get(compose_url(letter)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:review_request", args=[letter.pk]), follow=True)
    assert "no coach who may comment" in response.content.decode()
    letter.refresh_from_db()
    assert letter.review_requested_at is None
    assert mail.outbox == []


def test_the_button_shows_for_a_draft_with_a_commenting_coach_only(client, owner, editor, letter):
    login(client, owner)
    assert "Ask my coach to review" in client.get(compose_url(letter)).content.decode()
    Letter.objects.filter(pk=letter.pk).update(sent_on="2026-01-05")
    assert "Ask my coach to review" not in client.get(compose_url(letter)).content.decode()
    with pytest.raises(ValidationError, match="sent already"):
        review.review_request(letter=Letter.objects.get(pk=letter.pk), requested_by=owner)


def test_asking_twice_does_not_mail_the_coach_twice(
    owner, commenter, letter, django_capture_on_commit_callbacks
):
    # Two clicks from the same page: the second one's letter was loaded before the first landed.
    stale = Letter.objects.get(pk=letter.pk)
    with django_capture_on_commit_callbacks(execute=True):
        review.review_request(letter=letter, requested_by=owner)
        with pytest.raises(ValidationError, match="asked already"):
            review.review_request(letter=stale, requested_by=owner)
    assert len(mail.outbox) == 1


def test_a_coach_whose_consent_ends_before_the_email_leaves_is_not_mailed(
    owner, commenter, editor, letter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review.review_request(letter=letter, requested_by=owner)
        consent.coaching_end(coaching=commenter.coachings_as_coach.get())
    assert [m.to for m in mail.outbox] == [["eve@coach.example"]]


def test_only_the_owner_asks_for_a_review(client, owner, editor, letter):
    before = state(letter)
    response = login(client, editor).post(reverse("coaching:review_request", args=[letter.pk]))
    assert response.status_code == 403
    assert state(letter) == before
    # The refused attempt is not recorded as a change to the client's letter.
    assert not AccessLogEntry.objects.filter(action="edited").exists()
    with pytest.raises(PermissionDenied):
        review.review_request(letter=letter, requested_by=editor)


# --- Who may comment and resolve ----------------------------------------------------------------


def test_a_view_only_coach_reads_comments_but_cannot_comment(client, viewer, comment, letter):
    login(client, viewer)
    before = state(letter)
    response = client.post(
        reverse("coaching:comment_add", args=[letter.pk]), {"part": "", "text": "Let me in."}
    )
    assert response.status_code == 403
    assert state(letter) == before

    page = client.get(compose_url(letter)).content.decode()
    assert "Be concrete." in page
    assert reverse("coaching:comment_add", args=[letter.pk]) not in page
    assert "Mark resolved" not in page
    with pytest.raises(PermissionDenied):
        review.comment_add(letter=letter, author=viewer, part="", text="Let me in.")


def test_a_coach_cannot_resolve(client, commenter, editor, comment, letter):
    for coach in (commenter, editor):
        before = state(letter)
        response = login(client, coach).post(reverse("coaching:comment_resolve", args=[comment.pk]))
        assert response.status_code == 403
        assert state(letter) == before
    assert "Mark resolved" not in client.get(compose_url(letter)).content.decode()
    with pytest.raises(PermissionDenied):
        review.comment_resolve(comment=comment, user=commenter)


def review_urls(letter, comment):
    return [
        reverse("coaching:review_request", args=[letter.pk]),
        reverse("coaching:comment_add", args=[letter.pk]),
        reverse("coaching:comment_resolve", args=[comment.pk]),
    ]


@pytest.mark.parametrize("who", ["stranger", "revoked"])
def test_a_stranger_or_revoked_coach_finds_nothing_and_changes_nothing(
    request, client, owner, comment, letter, who
):
    login(client, request.getfixturevalue(who))
    before = state(letter)
    for url in review_urls(letter, comment):
        # A POST-only view refuses GET before looking anything up: 405 for every id, so the
        # answer says nothing about whether the letter exists.
        assert client.get(url).status_code in {404, 405}
        assert client.post(url, {"part": "", "text": "Hello"}).status_code == 404
    assert client.get(compose_url(letter)).status_code == 404
    assert state(letter) == before


def test_anonymous_visitors_are_sent_to_log_in(client, comment, letter):
    before = state(letter)
    for url in review_urls(letter, comment):
        response = client.post(url, {"part": "", "text": "Hello"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert state(letter) == before


# --- The form and what is shown -------------------------------------------------------------------


def test_a_script_in_a_comment_is_shown_as_text(
    client, owner, commenter, letter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(client, commenter).post(
            reverse("coaching:comment_add", args=[letter.pk]),
            {"part": "", "text": "<script>alert('x')</script>"},
        )
    page = login(client, owner).get(compose_url(letter)).content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(" in page
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html


@pytest.mark.parametrize(
    "data, field",
    [
        ({"part": "", "text": "   "}, "text"),
        ({"part": "", "text": "x" * 5001}, "text"),
        ({"part": "signature", "text": "Hello"}, "part"),
        ({"part": "", "text": "a\x00b"}, "text"),
    ],
)
def test_a_bad_comment_is_shown_again_with_the_error(client, commenter, letter, data, field):
    before = state(letter)
    response = login(client, commenter).post(
        reverse("coaching:comment_add", args=[letter.pk]), data
    )
    assert response.status_code == 400
    errors = response.context["comment_form"].errors[field]
    assert all(escape(error) in panel(response) for error in errors)
    assert state(letter) == before


def test_the_composer_reads_comments_in_one_query_however_many(client, owner, commenter, letter):
    login(client, owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(compose_url(letter)).status_code == 200
        return len(captured)

    review.comment_add(letter=letter, author=commenter, part="", text="One.")
    one = queries()
    for part in ("subject", "great_fit", "gift", ""):
        review.comment_add(letter=letter, author=commenter, part=part, text="More.")
    assert queries() == one


def test_a_coach_who_may_not_edit_sees_the_letter_without_editing_controls(client, owner):
    from followup.coaching.models import Level
    from tests.coaching.conftest import coaching_between, make_coach
    from tests.factories import LetterFactory

    coach = make_coach(email="reader@example.com")
    coaching_between(coach, owner, Level.COMMENT)
    letter = LetterFactory(application__owner=owner, body="Dear Ada, thank you.")
    client.force_login(coach)
    response = client.get(reverse("letters:compose", args=[letter.pk]))
    content = response.content.decode()
    assert response.status_code == 200 and "Dear Ada, thank you." in content
    assert "Save draft" not in content and "Mark as sent" not in content
    assert all(field.disabled for field in response.context["form"].fields.values())


# --- When the coach deletes their account -------------------------------------------------------


def test_a_deleted_coachs_comments_and_visits_stay_with_the_client(
    client, owner, commenter, letter, django_capture_on_commit_callbacks
):
    coach = login(client, commenter)
    coach.get(compose_url(letter))
    coach.post(reverse("coaching:comment_add", args=[letter.pk]), {"part": "", "text": "Nice."})
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=commenter)

    page = login(client, owner).get(compose_url(letter)).content.decode()
    assert "<strong>A former coach</strong>" in page and "Nice." in page
    log = client.get(reverse("coaching:settings")).content.decode()
    assert "Cora Comment viewed" in log and "Cora Comment commented on" in log
    assert AccessLogEntry.objects.filter(client=owner, coach=None).count() == 2


def test_comments_on_a_follow_up_name_its_parts_as_its_composer_does(
    client, owner, commenter, django_capture_on_commit_callbacks
):
    """The "About" choices, the panel's headings and the email follow the letter's kind: a
    follow-up has no "Why a great fit", it has "Something new of value"."""
    follow_up = LetterFactory(application__owner=owner, kind="follow_up")
    login(client, commenter)
    about = panel(client.get(compose_url(follow_up)))
    assert ">Something new of value</option>" in about
    assert "Why a great fit" not in about

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("coaching:comment_add", args=[follow_up.pk]),
            {"part": "great_fit", "text": "Link the article itself."},
        )
    assert "something new of value" in mail.outbox[-1].body.lower()
    assert "why a great fit" not in mail.outbox[-1].body.lower()

    login(client, owner)
    shown = panel(client.get(compose_url(follow_up)))
    assert "Something new of value" in shown and "Why a great fit" not in shown
