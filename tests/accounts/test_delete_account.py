"""Delete my account: confirmed with the password (and the second factor when set up), it removes
every row and file of the person, ends their coachings on both sides (telling the other side),
signs them out everywhere, and no reminder queued for them is sent."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from followup.accounts.models import User
from followup.accounts.services import account_delete
from followup.applications.models import Application
from followup.coaching.consent_source import log_read
from followup.coaching.models import AccessLogEntry, Coaching, Comment
from followup.exports.archive import export_data
from followup.exports.building import export_build
from followup.exports.models import ExportJob
from followup.exports.schema import KINDS
from followup.imports.models import ImportJob
from followup.letters.models import Gift
from followup.reminders.models import Reminder
from followup.reminders.services.sweep import reminders_sweep
from tests.accounts.test_mfa import current_code
from tests.coaching.conftest import coaching_between, make_coach
from tests.exports.conftest import normalised_dump, rich_account
from tests.factories import PASSWORD, UserFactory, import_job_with_file
from tests.reminders.conftest import FAST, due_users

SECRET = "JBSWY3DPEHPK3PXP"


def rows_naming(user_id: int) -> dict[str, int]:
    """Rows in any table with a column pointing at the user `user_id`, found by walking every
    model (auto-created ones too: group and permission links) for a relation to the user."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                count = model._base_manager.filter(**{field.attname: user_id}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    for kind in KINDS:  # and what belongs to them through an application or a letter
        count = kind.model._base_manager.filter(**{f"{kind.owner_path}_id": user_id}).count()
        if count:
            found[f"{kind.key} owned"] = count
    return found


def sessions_of(user_id: int) -> int:
    return sum(s.get_decoded().get("_auth_user_id") == str(user_id) for s in Session.objects.all())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def full_owner(owner, media, django_capture_on_commit_callbacks):
    """The owner with every kind of row, a coach, a client of her own, an export with its file,
    reminders, two-factor authentication, and signed in on two devices."""
    coach = make_coach(email="coach@example.com", name="Cora Coach")
    coaching_between(coach, owner, "comment")
    rich_account(owner, coach=coach, applications=2)
    owner.is_coach = True
    owner.save()
    client_of_owner = UserFactory(email="client@example.com", name="Carl Client")
    coaching_between(owner, client_of_owner, "edit")
    rich_account(client_of_owner, applications=1)
    AccessLogEntry.objects.create(client=client_of_owner, coach=owner, action="viewed", what="x")
    job = ExportJob.objects.create(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        export_build(job_id=job.pk)
    import_job_with_file(owner)  # a spreadsheet uploaded and not imported yet
    due_users(1, prefix="someone")
    Reminder.objects.create(
        recipient=owner, local_date=owner.today(), slot="morning", message_id="<a@b>"
    )
    TOTP.activate(owner, SECRET)
    return owner, coach, client_of_owner


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


@pytest.mark.django_db
def test_deleting_leaves_no_row_no_file_no_session_and_tells_both_sides(
    full_owner, media, mailoutbox, django_capture_on_commit_callbacks
):
    owner, coach, client_of_owner = full_owner
    owner_id = owner.pk
    others_files = {
        g.file.name for g in Gift.objects.exclude(file="").exclude(letter__application__owner=owner)
    }
    own_files = {
        g.file.name for g in Gift.objects.filter(letter__application__owner=owner).exclude(file="")
    }
    own_files.add(ExportJob.objects.get(owner=owner).file.name)
    own_files.add(ImportJob.objects.get(owner=owner).file.name)
    assert own_files <= stored_files(media) and len(own_files) == 4
    clients_data = normalised_dump(client_of_owner)
    assert rows_naming(owner_id)  # the walk finds them while they exist
    phone, laptop = signed_in(owner), signed_in(owner)
    assert sessions_of(owner_id) == 2
    mailoutbox.clear()  # the export's email

    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(
            reverse("accounts:delete"), {"password": PASSWORD, "code": current_code(SECRET)}
        )

    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(pk=owner_id).exists()
    assert rows_naming(owner_id) == {}
    assert stored_files(media) == others_files
    assert sessions_of(owner_id) == 0
    for device in (phone, laptop):
        assert device.get(reverse("accounts:profile"))["Location"].startswith(
            reverse("account_login")
        )
    # Both sides of each coaching told; the client of the coach keeps every row of theirs.
    told = {m.to[0]: m for m in mailoutbox}
    assert set(told) == {coach.email, client_of_owner.email}
    assert told[coach.email].subject == "Your client Olivia Owner has left followup"
    assert told[client_of_owner.email].subject == "Your coach Olivia Owner has left followup"
    assert "Your applications, letters and everything else of yours are as they were" in (
        told[client_of_owner.email].body
    )
    assert normalised_dump(client_of_owner) == clients_data
    assert not Coaching.objects.filter(coach=owner_id).exists()


@pytest.mark.django_db
def test_a_coach_who_deletes_takes_only_their_own_data(
    owner, media, mailoutbox, django_capture_on_commit_callbacks
):
    coach = make_coach(email="coach@example.com", name="Cora Coach")
    rich_account(coach, applications=1)
    coaching_between(coach, owner, "edit")
    rich_account(owner, coach=coach, applications=2)
    before = normalised_dump(owner)
    applications = Application.objects.filter(owner=owner).count()
    # The coach's comments on the owner's letters and the lines of their visits are the owner's.
    comments = set(Comment.objects.filter(author=coach).values_list("pk", "text"))
    assert len(comments) == 2
    coach_lines = {
        entry.pk: (entry.action, entry.what) for entry in AccessLogEntry.objects.filter(coach=coach)
    }
    coach_lines[
        log_read(coach=coach, client_id=owner.pk, what="your letters", path="/letters/").pk
    ] = ("viewed", "your letters")

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=coach)

    assert normalised_dump(owner) == before
    kept = Comment.objects.filter(letter__application__owner=owner)
    assert set(kept.values_list("pk", "text")) == comments
    assert {comment.author_name for comment in kept} == {"a former coach"}
    lines = AccessLogEntry.objects.filter(client=owner)
    assert {entry.pk: (entry.action, entry.what) for entry in lines} == coach_lines
    assert {(entry.coach_id, entry.who) for entry in lines} == {(None, "Cora Coach")}
    export = export_data(owner)[0]
    assert {row["author"] for row in export["comments"]} == {"a former coach"}
    assert Application.objects.filter(owner=owner).count() == applications == 2
    assert not Application.objects.exclude(owner=owner).exists()
    [message] = mailoutbox
    assert message.to == [owner.email] and "Cora Coach, your coach" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, field, error",
    [
        ({"password": "wrong", "code": "use-current"}, "password", "That is not your password."),
        ({"password": PASSWORD, "code": "000000"}, "code", "That code is not valid."),
        ({"password": PASSWORD, "code": ""}, "code", "Enter the code your authenticator"),
        ({"password": "", "code": "use-current"}, "password", "This field is required."),
    ],
)
def test_a_wrong_password_or_code_deletes_nothing(owner_client, owner, media, fields, field, error):
    rich_account(owner, applications=1)
    TOTP.activate(owner, SECRET)
    if fields["code"] == "use-current":
        fields = fields | {"code": current_code(SECRET)}
    before = rows_naming(owner.pk)

    response = owner_client.post(reverse("accounts:delete"), fields)

    assert response.status_code == 200
    assert error in response.context["form"].errors[field][0]
    assert rows_naming(owner.pk) == before
    assert owner_client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_without_an_authenticator_the_password_is_enough_and_no_code_is_asked(owner_client, owner):
    page = owner_client.get(reverse("accounts:delete")).content.decode()
    assert 'name="code"' not in page and 'name="password"' in page
    assert "Export my data" in page and "cannot be undone" in page
    owner_client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert not User.objects.filter(pk=owner.pk).exists()


@pytest.mark.django_db
def test_a_recovery_code_stands_in_for_the_authenticator(owner_client, owner):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    TOTP.activate(owner, SECRET)
    [code, *_] = RecoveryCodes.activate(owner).get_unused_codes()
    owner_client.post(reverse("accounts:delete"), {"password": PASSWORD, "code": code})
    assert not Authenticator.objects.exists()
    assert not User.objects.filter(pk=owner.pk).exists()


@pytest.mark.django_db
def test_the_page_says_what_goes(owner_client, owner, media):
    rich_account(owner, applications=2)
    page = owner_client.get(reverse("accounts:delete")).content.decode()
    assert "2 applications" in page and "5 contacts" in page and "4 letters" in page
    assert "with 2 uploaded files" in page


@pytest.mark.worker
def test_a_reminder_queued_for_them_is_never_sent(smtp_server, make_worker, settings):
    """Real sweep, real broker, real worker, real SMTP: the deleted person's reminder, queued
    before the deletion, never arrives; the other person's, queued with it, does."""
    for name, value in FAST.items():
        setattr(settings, name, value if name == "SITE_URL" else float(value))
    leaving, staying = due_users(2, prefix="queued")
    result = reminders_sweep()
    assert result.enqueued == 2 and Reminder.objects.filter(status="queued").count() == 2

    account_delete(user=leaving)
    make_worker(env=FAST)

    [message] = smtp_server.wait_for(1, timeout=30)
    assert message.recipients == [staying.email]
    time.sleep(3)  # the worker's share of the deleted person's batch, and a few more sweeps
    reminders_sweep()
    time.sleep(1)
    assert [m.recipients for m in smtp_server.messages] == [[staying.email]]
    assert not Reminder.objects.filter(recipient_id=leaving.pk).exists()
    assert settings.CELERY_BROKER_URL  # the tasks went through the broker, not eagerly
