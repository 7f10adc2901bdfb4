"""The access rule asks coaching, through the consent source it registered, who consents."""

from django.apps import apps

from followup.accounts.models import User
from followup.applications.models import Application
from followup.coaching import consent_source
from followup.core import access
from tests.factories import ApplicationFactory


def test_coaching_registers_its_consent_source():
    assert apps.is_installed("followup.coaching")
    assert access._consent is consent_source


def test_without_a_consent_source_a_person_sees_only_their_own_data(monkeypatch, owner, coach_edit):
    ApplicationFactory(owner=owner)
    mine = ApplicationFactory(owner=coach_edit)
    # A fresh copy of the coach: the owner ids are kept on the user object for its request.
    assert Application.objects.visible_to(User.objects.get(pk=coach_edit.pk)).count() == 2
    monkeypatch.setattr(access, "_consent", access.NoConsent())

    assert list(Application.objects.visible_to(coach_edit)) == [mine]
    assert list(Application.objects.editable_by(coach_edit)) == [mine]
    assert access.commentable_owner_ids(coach_edit) == []


def test_the_source_answers_by_level(owner, coach_view, coach_comment, coach_edit):
    def ids(coach, permission):
        return consent_source.client_ids(coach, permission=permission)

    assert ids(coach_view, access.Permission.READ) == [owner.pk]
    assert ids(coach_view, access.Permission.COMMENT) == []
    assert ids(coach_comment, access.Permission.COMMENT) == [owner.pk]
    assert ids(coach_comment, access.Permission.EDIT) == []
    assert ids(coach_edit, access.Permission.EDIT) == [owner.pk]
