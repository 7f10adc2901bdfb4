from datetime import timedelta

import pytest

from followup.applications.models import FollowUp
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = pytest.mark.django_db


def plan(application, days_from_today, **fields):
    today = application.owner.today()
    return FollowUp.objects.create(
        application=application,
        kind=fields.pop("kind", "follow_up"),
        due_on=today + timedelta(days=days_from_today),
        **fields,
    )


def populate(owner, count):
    contact = ContactFactory(owner=owner)
    statuses = ["applied", "interviewing", "offer", "hired", "eliminated", "withdrawn"]
    applications = ApplicationFactory.create_batch(count, owner=owner, status="interviewing")
    for index, application in enumerate(applications):
        application.status = statuses[index % len(statuses)]
        application.save()
        follow_up = plan(application, index % 12 - 3, contact=contact, step=1)
        if index % 2:
            LetterFactory(application=application, contact=contact, follow_up=follow_up)
    return applications


def test_dashboard_sorts_work_into_overdue_today_and_next_seven_days(owner_client, owner):
    application = ApplicationFactory(owner=owner, status="interviewing", position="Analyst")
    ada = ContactFactory(owner=owner, name="Ada Park")
    overdue = plan(application, -2, contact=ada)
    today = plan(application, 0, contact=ada, kind="thank_you")
    upcoming = plan(application, 5, contact=ada)
    plan(application, 9, contact=ada)  # beyond the week: not shown
    closed = ApplicationFactory(owner=owner, status="hired")
    plan(closed, 0)  # a closed application's leftovers are never due

    board = owner_client.get("/").context["board"]

    assert (board.overdue, board.due_today, board.upcoming) == ([overdue], [today], [upcoming])
    content = owner_client.get("/").content.decode()
    # "Write it" posts the follow-up to the new-letter view, which opens the composer at once.
    assert f'<input type="hidden" name="follow_up" value="{overdue.pk}">' in content


def test_dashboard_counts_the_pipeline_by_status(owner_client, owner, stranger):
    ApplicationFactory.create_batch(2, owner=owner, status="offer")
    ApplicationFactory(owner=owner, status="eliminated")
    ApplicationFactory.create_batch(5, owner=stranger, status="offer")
    pipeline = {value: n for value, _, n in owner_client.get("/").context["board"].pipeline}
    assert pipeline["offer"] == 2 and pipeline["eliminated"] == 1 and pipeline["applied"] == 0


def test_dashboard_never_shows_another_persons_work(owner_client, stranger):
    application = ApplicationFactory(owner=stranger, status="interviewing")
    plan(application, 0)
    board = owner_client.get("/").context["board"]
    assert board.due_today == [] and board.activity == []


@pytest.mark.parametrize("count", [3, 300])
def test_dashboard_query_count_does_not_grow_with_rows(
    owner_client, owner, count, django_assert_num_queries
):
    populate(owner, count)
    # 1 session, 2 user, 3 pending follow-ups with their application, contact, interview and
    # draft in progress (two subqueries; every other row has a draft), 4 pipeline counts,
    # 5 interviews this week, 6 recent activity, 7 coaches' invitations to one of the user's
    # verified addresses (the template's pending_invitations tag), 8 open next steps from a
    # coach, with who set them and their application.
    with django_assert_num_queries(8):
        response = owner_client.get("/")
    assert response.status_code == 200
    assert len(response.context["board"].overdue) > 0
    assert b"Draft in progress" in response.content
