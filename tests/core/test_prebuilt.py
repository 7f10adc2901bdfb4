"""Statements built once and run with each call's values (`followup.core.prebuilt`)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Count, DateTimeField, Max

from followup.applications.models import Application
from followup.core.prebuilt import Prebuilt
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

SOME_DAY = date(1900, 1, 1)


def _applied_since(count: int) -> Prebuilt:
    owners = list(range(-1, -1 - count, -1))
    query = (
        Application.objects.filter(owner__in=owners, applied_on__gte=SOME_DAY)
        .order_by("pk")
        .values_list("pk", "owner_id")
        .query
    )
    return Prebuilt(query, [*owners, SOME_DAY])


def test_each_run_puts_its_own_values_where_the_stand_ins_were(db):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    today = date(2026, 12, 1)
    early = ApplicationFactory(owner=alice, applied_on=today - timedelta(days=30))
    recent = ApplicationFactory(owner=alice, applied_on=today)
    bobs = ApplicationFactory(owner=bob, applied_on=today)
    ApplicationFactory(owner=carol, applied_on=today)
    statement = _applied_since(2)

    assert statement.run([alice.pk, bob.pk, today]) == [(recent.pk, alice.pk), (bobs.pk, bob.pk)]
    since_early = statement.run([alice.pk, bob.pk, early.applied_on])
    assert since_early == [(early.pk, alice.pk), (recent.pk, alice.pk), (bobs.pk, bob.pk)]
    assert statement.run([carol.pk, carol.pk, today])[0][1] == carol.pk


def test_a_value_used_twice_goes_to_both_places(db):
    owner = UserFactory()
    ApplicationFactory(owner=owner)
    query = (
        Application.objects.filter(owner=-1, status__in=["applied", "interviewing"])
        .exclude(owner=-1)
        .values_list("pk")
        .query
    )
    assert Prebuilt(query, [-1]).run([owner.pk]) == []


def test_what_is_read_back_is_converted_as_django_would(db):
    owner = UserFactory()
    ApplicationFactory(owner=owner)
    query = (
        Application.objects.filter(owner=-1)
        .values("owner")
        .annotate(count=Count("pk"), latest=Max("created_at", output_field=DateTimeField()))
        .values_list("count", "latest")
        .query
    )
    [(count, latest)] = Prebuilt(query, [-1]).run([owner.pk])
    assert count == 1 and isinstance(latest, datetime) and latest.tzinfo is not None


def test_a_stand_in_the_query_does_not_hold_is_refused():
    query = Application.objects.filter(owner=-1).values_list("pk").query
    with pytest.raises(RuntimeError, match="unexpected parameters"):
        Prebuilt(query, [-1, datetime(1900, 1, 1, tzinfo=UTC)])
