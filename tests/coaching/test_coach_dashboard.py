"""The coach's side: all clients in one table, one client's dashboard, the banner, invitations."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from followup.applications.models import ApplicationEvent, FollowUp
from followup.coaching import selectors
from followup.coaching.invitations import invitation_token
from followup.coaching.models import AccessLogEntry, Coaching, CoachingStatus, InvitedBy, Level
from followup.coaching.selectors import DUE_LIST_LIMIT
from followup.coaching.services import consent
from tests.coaching.conftest import coaching_between, make_coach
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    LetterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("coaching:dashboard")


def plan(application, days_from_today, **fields):
    """A pending follow-up due `days_from_today` days from the owner's today."""
    return FollowUp.objects.create(
        application=application,
        kind=fields.pop("kind", "follow_up"),
        due_on=application.owner.today() + timedelta(days=days_from_today),
        **fields,
    )


def as_user(client, user):
    client.force_login(user)
    return client


def rows_by_name(response) -> dict:
    return {row.client.display_name: row for row in response.context["dashboard"].rows}


def names(response) -> list[str]:
    return [row.client.display_name for row in response.context["dashboard"].rows]


@pytest.fixture
def second_client(coach_view):
    """Another client of the view coach, with a lighter load than the owner."""
    client = UserFactory(email="bo@example.com", name="Bo Second")
    coaching_between(coach_view, client, Level.COMMENT)
    return client


@pytest.fixture
def two_pipelines(owner, second_client):
    """The owner is behind (two overdue, one due today); the second client has two due today."""
    now = timezone.now()
    mine = ApplicationFactory(owner=owner, status="interviewing", position="Analyst")
    ApplicationFactory(owner=owner, status="applied")
    closed = ApplicationFactory(owner=owner, status="eliminated")
    plan(mine, -3)
    plan(mine, -1)
    plan(mine, 0)
    plan(mine, 4)  # upcoming: neither overdue nor due today
    plan(closed, -5)  # a closed application's leftovers never count
    InterviewFactory(application=mine, scheduled_at=now + timedelta(days=2))
    InterviewFactory(application=mine, scheduled_at=now + timedelta(days=5))
    ApplicationEvent.objects.create(application=mine, kind="reply", occurred_at=now - timedelta(1))

    theirs = ApplicationFactory(owner=second_client, status="offer", position="Designer")
    plan(theirs, 0)
    plan(theirs, 0, kind="thank_you")
    InterviewFactory(application=theirs, scheduled_at=now + timedelta(days=1))
    return {"mine": mine, "theirs": theirs, "now": now}


# --- The table ------------------------------------------------------------------------------


def test_table_shows_each_clients_counts(client, coach_view, two_pipelines):
    response = as_user(client, coach_view).get(DASHBOARD)
    assert response.status_code == 200
    rows = rows_by_name(response)
    owner, second = rows["Olivia Owner"], rows["Bo Second"]
    assert (owner.open_applications, owner.overdue, owner.due_today) == (2, 2, 1)
    assert (second.open_applications, second.overdue, second.due_today) == (1, 0, 2)
    now = two_pipelines["now"]
    assert owner.next_interview == now + timedelta(days=2)
    assert second.next_interview == now + timedelta(days=1)
    assert owner.last_activity == now - timedelta(days=1)
    assert second.last_activity is None
    assert owner.coaching.get_level_display() == "View"
    assert second.coaching.get_level_display() == "View and comment"
    content = response.content.decode()
    assert reverse("coaching:client", args=[owner.client.pk]) in content
    assert "View and comment" in content


def test_last_activity_is_the_latest_event_letter_or_interview(client, coach_view, owner):
    now = timezone.now()
    application = ApplicationFactory(owner=owner, status="interviewing")
    ApplicationEvent.objects.create(
        application=application, kind="reply", occurred_at=now - timedelta(3)
    )
    InterviewFactory(application=application, scheduled_at=now - timedelta(days=2))
    InterviewFactory(application=application, scheduled_at=now + timedelta(days=9))  # not yet
    letter = LetterFactory(application=application)
    row = rows_by_name(as_user(client, coach_view).get(DASHBOARD))["Olivia Owner"]
    assert row.last_activity == letter.updated_at

    letter.delete()
    row = rows_by_name(client.get(DASHBOARD))["Olivia Owner"]
    assert row.last_activity == now - timedelta(days=2)


def test_due_today_and_overdue_are_counted_on_each_clients_own_calendar(client, db):
    coach = make_coach()
    # Exactly a day apart: whatever the moment, "ahead" is one date later than "behind".
    ahead = UserFactory(name="Ahead Kiribati", time_zone="Etc/GMT-12")
    behind = UserFactory(name="Behind Samoa", time_zone="Etc/GMT+12")
    coaching_between(coach, ahead)
    coaching_between(coach, behind)
    day = ahead.today()
    assert behind.today() == day - timedelta(days=1)
    for person in (ahead, behind):
        application = ApplicationFactory(owner=person, status="applied")
        FollowUp.objects.create(application=application, kind="follow_up", due_on=day)
        FollowUp.objects.create(
            application=application, kind="follow_up", due_on=day - timedelta(1)
        )

    response = as_user(client, coach).get(DASHBOARD)
    rows = rows_by_name(response)
    assert (rows["Ahead Kiribati"].overdue, rows["Ahead Kiribati"].due_today) == (1, 1)
    assert (rows["Behind Samoa"].overdue, rows["Behind Samoa"].due_today) == (0, 1)
    late = [
        (f.application.owner.name, f.days_overdue) for f in response.context["dashboard"].due_list
    ]
    # By due date: the same date is a day late for one and due today for the other.
    assert late == [("Ahead Kiribati", 1), ("Behind Samoa", 0), ("Ahead Kiribati", 0)]


# --- Sorting and the "behind" filter --------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Bo Second", "Olivia Owner"]),
        ("-name", ["Olivia Owner", "Bo Second"]),
        ("-overdue", ["Olivia Owner", "Bo Second"]),
        ("overdue", ["Bo Second", "Olivia Owner"]),
        ("-due_today", ["Bo Second", "Olivia Owner"]),
        ("next_interview", ["Bo Second", "Olivia Owner"]),
        ("-next_interview", ["Olivia Owner", "Bo Second"]),
        ("nonsense", ["Bo Second", "Olivia Owner"]),  # an unknown sort falls back to the name
    ],
)
def test_sorting(client, coach_view, two_pipelines, sort, expected):
    response = as_user(client, coach_view).get(DASHBOARD, {"sort": sort})
    assert names(response) == expected


@pytest.mark.parametrize("sort", ["last_activity", "-last_activity"])
def test_clients_without_activity_come_last_either_way(client, coach_view, two_pipelines, sort):
    response = as_user(client, coach_view).get(DASHBOARD, {"sort": sort})
    assert names(response) == ["Olivia Owner", "Bo Second"]


def test_sort_links_reverse_the_current_column_and_keep_the_filter(client, coach_view, owner):
    response = as_user(client, coach_view).get(DASHBOARD, {"sort": "-overdue", "behind": "1"})
    columns = response.context["columns"]
    assert columns["overdue"]["query"] == "sort=overdue&behind=1"
    assert columns["overdue"]["sort"] == "descending"
    assert columns["name"]["query"] == "sort=name&behind=1"


def test_behind_shows_only_clients_with_overdue_follow_ups(client, coach_view, two_pipelines):
    response = as_user(client, coach_view).get(DASHBOARD, {"behind": "1"})
    assert names(response) == ["Olivia Owner"]
    # The due list below still covers every client.
    owners = {f.application.owner.name for f in response.context["dashboard"].due_list}
    assert owners == {"Olivia Owner", "Bo Second"}


def test_behind_with_nobody_behind_says_so(client, coach_view, owner):
    response = as_user(client, coach_view).get(DASHBOARD, {"behind": "1"})
    assert names(response) == []
    assert "Nobody is falling behind" in response.content.decode()


# --- The due list ---------------------------------------------------------------------------


def test_due_list_spans_all_clients_with_links_to_applications(client, coach_view, two_pipelines):
    response = as_user(client, coach_view).get(DASHBOARD)
    follow_ups = response.context["dashboard"].due_list
    # Overdue and due today only: not the upcoming one, not the closed application's.
    assert [(f.application.owner.name, f.days_overdue) for f in follow_ups] == [
        ("Olivia Owner", 3),
        ("Olivia Owner", 1),
        ("Bo Second", 0),
        ("Bo Second", 0),
        ("Olivia Owner", 0),
    ]
    content = response.content.decode()
    assert two_pipelines["mine"].get_absolute_url() in content
    assert two_pipelines["theirs"].get_absolute_url() in content


def test_the_due_list_is_cut_in_name_order_not_in_the_order_people_signed_up(
    coach_view, owner, two_pipelines
):
    # Today Olivia (signed up first) has one due and Bo two; room for four of five rows.
    clients = selectors.clients_of(coach_view)
    todays = selectors.todays_of(clients)
    shown = selectors.most_overdue(coach_view, clients=clients, todays=todays, limit=4)
    assert [(f.application.owner.name, f.days_overdue) for f in shown] == [
        ("Olivia Owner", 3),
        ("Olivia Owner", 1),
        ("Bo Second", 0),
        ("Bo Second", 0),
    ]


# --- Consent: who appears -------------------------------------------------------------------


def test_a_revoked_client_disappears_on_the_next_request(client, coach_view, owner):
    as_user(client, coach_view)
    application = ApplicationFactory(owner=owner, status="applied")
    plan(application, -1)
    assert names(client.get(DASHBOARD)) == ["Olivia Owner"]

    coaching = Coaching.objects.get(coach=coach_view, client=owner, status=CoachingStatus.ACTIVE)
    consent.coaching_end(coaching=coaching)

    response = client.get(DASHBOARD)
    assert names(response) == [] and response.context["dashboard"].due_list == []
    assert "Olivia Owner" not in response.content.decode()
    assert client.get(reverse("coaching:client", args=[owner.pk])).status_code == 404


def test_another_coachs_client_never_appears(client, coach_view, other_coach, owner, stranger):
    plan(ApplicationFactory(owner=stranger, status="applied"), -2)
    plan(ApplicationFactory(owner=owner, status="applied"), -2)

    mine = as_user(client, coach_view).get(DASHBOARD)
    assert names(mine) == ["Olivia Owner"]
    assert {f.application.owner_id for f in mine.context["dashboard"].due_list} == {owner.pk}
    assert "Sam Stranger" not in mine.content.decode()

    theirs = as_user(client, other_coach).get(DASHBOARD)
    assert names(theirs) == ["Sam Stranger"]
    assert {f.application.owner_id for f in theirs.context["dashboard"].due_list} == {stranger.pk}
    assert "Olivia Owner" not in theirs.content.decode()


def test_a_coachs_own_job_search_is_not_a_client(client, coach_view, owner):
    plan(ApplicationFactory(owner=coach_view, status="applied"), -1)
    response = as_user(client, coach_view).get(DASHBOARD)
    assert names(response) == ["Olivia Owner"]
    assert response.context["dashboard"].due_list == []


def test_a_non_coach_is_told_what_the_page_is_for(stranger_client):
    response = stranger_client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.templates[0].name == "coaching/coach_not_a_coach.html"
    assert reverse("accounts:profile") in response.content.decode()


def test_the_page_needs_a_signed_in_person(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- One client's page ----------------------------------------------------------------------


def test_client_page_shows_their_dashboard_and_applications_and_logs_it(client, coach_view, owner):
    application = ApplicationFactory(owner=owner, status="interviewing", position="Analyst")
    overdue = plan(application, -2, contact=ContactFactory(owner=owner))
    ApplicationFactory(owner=coach_view, position="Coach's own job")
    url = reverse("coaching:client", args=[owner.pk])

    response = as_user(client, coach_view).get(url)

    assert response.status_code == 200
    assert response.context["board"].overdue == [overdue]
    groups = response.context["workspace"].pipeline
    pipeline = {group.status: group.applications for group in groups}
    assert pipeline["interviewing"] == [application]
    assert sum(map(len, pipeline.values())) == 1
    content = response.content.decode()
    assert application.get_absolute_url() in content
    assert "Coach's own job" not in content
    # A coach reads; the "write it" link of the owner's own dashboard is not offered.
    assert f"follow_up={overdue.pk}" not in content
    entry = AccessLogEntry.objects.get(client=owner)
    assert (entry.coach, entry.action, entry.what, entry.path) == (
        coach_view,
        "viewed",
        "dashboard",
        url,
    )


@pytest.mark.parametrize("who", ["stranger", "coach_revoked", "other_coach", "coach_view"])
def test_client_page_is_not_found_for_anyone_without_consent(client, owner, request, who):
    visitor = request.getfixturevalue(who)
    # The view coach is the owner's coach, but is nobody's client: their own id is not a client.
    target = visitor if who == "coach_view" else owner
    response = as_user(client, visitor).get(reverse("coaching:client", args=[target.pk]))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_client_page_for_an_unknown_id_is_not_found(client, coach_view):
    response = as_user(client, coach_view).get(reverse("coaching:client", args=[999_999]))
    assert response.status_code == 404


# --- The banner -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coach", "level"),
    [
        ("coach_view", "View"),
        ("coach_comment", "View and comment"),
        ("coach_edit", "View, comment and edit"),
    ],
)
def test_banner_on_a_clients_application_page_names_them_and_the_level(
    client, owner, request, coach, level
):
    application = ApplicationFactory(owner=owner)
    as_user(client, request.getfixturevalue(coach))
    content = client.get(application.get_absolute_url()).content.decode()
    assert "You are viewing <strong>Olivia Owner</strong>’s data as their coach" in content
    assert f"level: <strong>{level}</strong>" in content
    assert DASHBOARD in content


@pytest.mark.parametrize("page", ["interview", "letter", "contact"])
def test_banner_on_a_clients_interview_letter_and_contact_pages(client, coach_view, owner, page):
    letter = LetterFactory(application=ApplicationFactory(owner=owner))
    url = {
        "interview": InterviewFactory(application=letter.application).get_absolute_url(),
        "letter": letter.get_absolute_url(),
        "contact": reverse("contacts:detail", args=[letter.contact.pk]),
    }[page]
    response = as_user(client, coach_view).get(url)
    assert response.status_code == 200
    assert "level: <strong>View</strong>" in response.content.decode()


def test_banner_on_the_client_page(client, coach_view, owner):
    content = as_user(client, coach_view).get(reverse("coaching:client", args=[owner.pk]))
    assert 'data-testid="client-banner"' in content.content.decode()


def test_no_banner_on_ones_own_pages(client, coach_view, owner):
    mine = ApplicationFactory(owner=coach_view)
    as_user(client, coach_view)
    for url in (mine.get_absolute_url(), "/", DASHBOARD):
        assert 'data-testid="client-banner"' not in client.get(url).content.decode(), url
    as_user(client, owner)
    theirs = ApplicationFactory(owner=owner)
    assert (
        'data-testid="client-banner"' not in client.get(theirs.get_absolute_url()).content.decode()
    )


# --- Invitations ----------------------------------------------------------------------------


def test_an_invitation_waits_on_the_invitees_dashboard_and_accepting_grants_the_chosen_level(
    client, db, django_capture_on_commit_callbacks
):
    coach = make_coach(name="Cora Coach")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(client, coach).post(
            reverse("coaching:invite_client"), {"email": "New.Seeker@example.com"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["New.Seeker@example.com"]
    assert "new.seeker@example.com" in client.get(DASHBOARD).content.decode().lower()

    seeker = UserFactory(email="new.seeker@example.com", name="Nia Seeker")
    response = as_user(client, seeker).get("/")
    (invitation,) = response.context["invitations"]
    link = reverse("coaching:invitation", args=[invitation.token])
    assert link in response.content.decode()
    assert "Cora Coach" in response.content.decode()

    response = client.post(link, {"decision": "accept", "level": Level.COMMENT})
    assert response.status_code == 302
    coaching = Coaching.objects.get(coach=coach, client=seeker)
    assert (coaching.status, coaching.level) == (CoachingStatus.ACTIVE, Level.COMMENT)
    assert client.get("/").context["invitations"] == []

    assert names(as_user(client, coach).get(DASHBOARD)) == ["Nia Seeker"]


def test_an_unverified_address_does_not_see_the_invitation(client, db):
    coach = make_coach()
    consent.coach_invites_client(coach=coach, email="someone@example.com")
    claimant = UserFactory(email="someone@example.com")
    EmailAddress.objects.filter(user=claimant).update(verified=False)
    assert as_user(client, claimant).get("/").context["invitations"] == []


def test_an_expired_invitation_is_not_offered(client, db, settings):
    coach = make_coach()
    invitation = consent.coach_invites_client(coach=coach, email="late@example.com")
    Coaching.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.COACHING_INVITATION_MAX_AGE + 60)
    )
    seeker = UserFactory(email="late@example.com")
    assert as_user(client, seeker).get("/").context["invitations"] == []


def test_a_coach_cannot_invite_themselves(client, coach_view):
    response = as_user(client, coach_view).post(
        reverse("coaching:invite_client"), {"email": coach_view.email.upper()}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["You cannot invite yourself."]
    assert not Coaching.objects.filter(coach=coach_view, invited_by=InvitedBy.COACH).exists()


def test_a_job_seeker_cannot_accept_their_own_invitation(owner_client, owner):
    invitation = consent.client_invites_coach(client=owner, email="coach@example.com", level="edit")
    link = reverse("coaching:invitation", args=[invitation_token(invitation)])
    owner_client.post(link, {"decision": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == CoachingStatus.INVITED and invitation.coach is None


def test_a_coach_cannot_invite_their_own_second_address(client, db):
    coach = make_coach(email="coach@example.com")
    EmailAddress.objects.create(user=coach, email="coach.home@example.com", verified=True)
    with pytest.raises(ValidationError):
        consent.coach_invites_client(coach=coach, email="Coach.Home@example.com")
    assert not Coaching.objects.exists()


def test_a_forwarded_invitation_cannot_be_accepted_by_someone_else(client, db):
    coach = make_coach()
    invitation = consent.coach_invites_client(coach=coach, email="meant@example.com")
    someone_else = UserFactory(email="forwarded@example.com")
    link = reverse("coaching:invitation", args=[invitation_token(invitation)])
    as_user(client, someone_else).post(link, {"decision": "accept", "level": Level.EDIT})
    invitation.refresh_from_db()
    assert invitation.status == CoachingStatus.INVITED and invitation.client is None


def test_a_second_invitation_to_the_same_address_waits_for_the_first(db):
    coach = make_coach()
    consent.coach_invites_client(coach=coach, email="twice@example.com")
    with pytest.raises(ValidationError):
        consent.coach_invites_client(coach=coach, email="twice@example.com")


def test_a_coach_cancels_a_pending_invitation(client, db):
    coach = make_coach()
    invitation = consent.coach_invites_client(coach=coach, email="maybe@example.com")
    as_user(client, coach)
    assert client.get(DASHBOARD).context["dashboard"].invitations == [invitation]
    response = client.post(reverse("coaching:end", args=[invitation.pk]))
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    invitation.refresh_from_db()
    assert invitation.status == CoachingStatus.ENDED
    assert client.get(DASHBOARD).context["dashboard"].invitations == []


def test_anyone_can_say_they_are_a_coach_in_their_settings(owner_client, owner):
    content = owner_client.get(reverse("accounts:profile")).content.decode()
    assert "I am a career coach" in content


# --- Query counts ---------------------------------------------------------------------------


def populate(coach, count):
    """`count` clients, each with open work: applications, follow-ups overdue and due today, an
    interview, activity, and a letter waiting for the coach's review."""
    now = timezone.now()
    for index in range(count):
        person = UserFactory()
        # The first one lets the coach comment, so even one client has a review queue.
        coaching_between(coach, person, [Level.COMMENT, Level.EDIT, Level.VIEW][index % 3])
        application = ApplicationFactory(owner=person, status="interviewing")
        ApplicationFactory(owner=person, status="applied")
        contact = ContactFactory(owner=person)
        plan(application, -2, contact=contact)
        plan(application, 0, contact=contact)
        InterviewFactory(application=application, scheduled_at=now + timedelta(days=index % 5 + 1))
        ApplicationEvent.objects.create(application=application, kind="created")
        LetterFactory(application=application, contact=contact)
        LetterFactory(
            application=application,
            contact=contact,
            review_requested_at=now - timedelta(hours=index + 1),
        )
    consent.coach_invites_client(coach=coach, email="pending@example.com")


@pytest.mark.parametrize("count", [1, 30, 50])
def test_coach_dashboard_query_count_does_not_grow_with_clients(
    client, db, count, django_assert_num_queries
):
    coach = make_coach()
    populate(coach, count)
    as_user(client, coach)
    # 1 session, 2 user, 3 the coach's consenting clients (the access rule), 4 the consents
    # with their clients' names and zones and the table's figures, 5 what is due by each
    # one's today (pairs of client and day), 6 the most overdue of those with their application
    # and contact, 7 pending invitations, 8 the letters waiting for review, 9 clients who ended
    # the coach's access lately (the template's ended_access tag). The menu and the banner ask
    # nothing more.
    with django_assert_num_queries(9):
        response = client.get(DASHBOARD, {"sort": "-overdue", "behind": "1"})
    dashboard = response.context["dashboard"]
    assert len(dashboard.rows) == count
    assert dashboard.due_total == 2 * count
    assert len(dashboard.due_list) == min(2 * count, DUE_LIST_LIMIT)
    shown_of_total = f"The {DUE_LIST_LIMIT} most overdue of {2 * count}"
    assert (shown_of_total in response.content.decode()) == (2 * count > DUE_LIST_LIMIT)
    # Clients at the comment and edit levels: two in three.
    assert len(dashboard.reviews) == count - count // 3


def test_the_coach_dashboard_is_one_selector_call(db, django_assert_num_queries):
    coach = make_coach()
    populate(coach, 3)
    # 1 the coach's consenting clients (the access rule), 2 the consents with clients and
    # figures, 3 what is due by each one's today, 4 the due list, 5 pending invitations, 6 the
    # review queue.
    with django_assert_num_queries(6):
        dashboard = selectors.coach_dashboard(coach=coach, sort="-overdue")
    assert [row.overdue for row in dashboard.rows] == [1, 1, 1]
    assert (dashboard.due_total, len(dashboard.due_list)) == (6, 6)
    assert dashboard.has_clients and len(dashboard.invitations) == 1
    assert len(dashboard.reviews) == 2


@pytest.mark.parametrize("count", [1, 30])
def test_client_page_query_count_does_not_grow_with_rows(
    client, coach_view, owner, count, django_assert_num_queries
):
    contact = ContactFactory(owner=owner)
    now = timezone.now()
    for application in ApplicationFactory.create_batch(count, owner=owner, status="interviewing"):
        plan(application, -1, contact=contact)
        InterviewFactory(application=application, scheduled_at=now + timedelta(1))
        InterviewFactory(application=application, scheduled_at=now - timedelta(3))
        ApplicationEvent.objects.create(application=application, kind="created")
        LetterFactory(application=application, contact=contact, review_requested_at=now)
        LetterFactory(application=application, contact=contact, sent_on=owner.today())
    as_user(client, coach_view)
    # 1 session, 2 user, 3 the coach's consenting clients (the access rule), 4 the client,
    # 5 the access log entry; the workspace: 6 drafts, 7 sent letters, 8 interviews, 9 the
    # plan's follow-ups with their drafts, 10 applications, 11 the coach's clients at edit
    # level (whether rows get Done, Skip, Snooze); 12 the banner's level; the coach's own
    # panel: 13 the consent, 14 next steps, 15 private notes. (A coach at the "comment" level
    # also gets the next step form's list of open applications.)
    with django_assert_num_queries(15):
        response = client.get(reverse("coaching:client", args=[owner.pk]))
    space = response.context["workspace"]
    assert len(space.plan.overdue) == count
    assert (len(space.drafts), len(space.sent)) == (count, min(count, 10))
    assert (len(space.upcoming_interviews), len(space.recent_interviews)) == (count, count)


def test_the_table_says_its_times_are_the_coachs(client, coach_view, two_pipelines):
    """Clients live in several zones; the table's times are the coach's, and it says which."""
    coach_view.time_zone = "America/Chicago"
    coach_view.save(update_fields=["time_zone"])
    content = as_user(client, coach_view).get(DASHBOARD).content.decode()
    assert (
        '<caption class="small">Times are in your time zone, America/Chicago.</caption>' in content
    )
