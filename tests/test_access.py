"""The authorization matrix: every URL that takes an object id, for GET and POST, for each actor.

The list of URLs comes from the URL configuration itself: a new view that takes an id and has no
row in POLICY fails `test_every_object_url_is_in_the_matrix`, so it cannot skip this check.
Actors: the owner; the owner's coaches at each level; a coach whose access was revoked; a coach
of someone else; a stranger; an anonymous visitor. Where the answer is a refusal, the database is
shown to be unchanged.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from followup.accounts.models import User
from followup.applications import services, undoing
from followup.applications.models import (
    Application,
    ApplicationEvent,
    FollowUp,
    PlanChange,
)
from followup.coaching.models import Coaching, CoachNote, Comment, Level, NextStep
from followup.contacts.models import Contact
from followup.exports.models import ExportJob, RestoreJob
from followup.imports.models import ImportedRow, ImportJob
from followup.interviews.models import Interview, Interviewer
from followup.letters.models import Gift, Letter
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import built_once, make_owner, make_stranger
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    LetterFactory,
    gift_with_file,
    import_job_with_file,
)

ACTORS = [
    "owner",
    "coach_view",
    "coach_comment",
    "coach_edit",
    "coach_revoked",
    "other_coach",
    "stranger",
    "anonymous",
]

# What each kind of access allows: actor -> expected answer ("ok" is any success: 2xx, a 3xx
# that is not the login redirect, or 400 for a form error).
READ = {"owner": "ok", "coach_view": "ok", "coach_comment": "ok", "coach_edit": "ok"}
WRITE = {"owner": "ok", "coach_view": 403, "coach_comment": 403, "coach_edit": "ok"}
COMMENT = {"owner": "ok", "coach_view": 403, "coach_comment": "ok", "coach_edit": "ok"}
OWNER_ONLY = {"owner": "ok", "coach_view": 403, "coach_comment": 403, "coach_edit": 403}
CONSENT_PARTY = {"owner": "ok", "coach_view": "ok"}  # the consent between the two
CONSENT_CLIENT = {"owner": "ok"}  # only the job seeker sets the level
# A coach's answer to their client: the owner is refused as a view-only coach is.
COACH_COMMENT = {"owner": 403, "coach_view": 403, "coach_comment": "ok", "coach_edit": "ok"}
COACH_OF = {"coach_view": "ok", "coach_comment": "ok", "coach_edit": "ok"}  # the client page
# Acting for the client (a new application in their data): the edit level; their other coaches
# see the client but may not change their data.
ACT_FOR = {"coach_view": 403, "coach_comment": 403, "coach_edit": "ok"}
SET_STEPS = {"coach_view": 403, "coach_comment": "ok", "coach_edit": "ok"}  # comment level and up
STEP_SETTER = {"owner": 403, "coach_view": 403, "coach_comment": "ok", "coach_edit": 403}
NOTE_AUTHOR = {"coach_view": "ok"}  # a private note: nobody else even learns it exists
# What acts on the account itself (a restore into it): no consent shows it, whatever the level.
ACCOUNT_OWNER = {"owner": "ok"}
POST_ONLY = "post only"  # GET answers 405 to everyone signed in, before any lookup
GET_ONLY = "get only"  # POST answers 405 to everyone signed in, before any lookup

# URL name -> (the object its id names, policy for GET, policy for POST).
POLICY = {
    "applications:detail": ("application", READ, GET_ONLY),
    "applications:update": ("application", WRITE, WRITE),
    "applications:delete": ("application", WRITE, WRITE),
    "applications:status": ("application", POST_ONLY, WRITE),
    "applications:reply": ("application", POST_ONLY, WRITE),
    "interviews:create": ("application", WRITE, WRITE),
    "interviews:detail": ("interview", READ, GET_ONLY),
    "interviews:update": ("interview", WRITE, WRITE),
    "interviews:delete": ("interview", WRITE, WRITE),
    "calendars:interview": ("interview", READ, GET_ONLY),
    "applications:follow_up_done": ("follow_up", POST_ONLY, WRITE),
    "applications:follow_up_skip": ("follow_up", POST_ONLY, WRITE),
    "applications:follow_up_snooze": ("follow_up", POST_ONLY, WRITE),
    "applications:plan_change_undo": ("plan_change", POST_ONLY, WRITE),
    "contacts:detail": ("contact", READ, GET_ONLY),
    "contacts:update": ("contact", WRITE, WRITE),
    "contacts:delete": ("contact", WRITE, WRITE),
    "letters:compose": ("letter", READ, WRITE),
    "letters:preview": ("letter", POST_ONLY, READ),
    "letters:autosave": ("letter", POST_ONLY, WRITE),
    "letters:gift": ("letter", WRITE, WRITE),
    "letters:gift_delete": ("letter", POST_ONLY, WRITE),
    "letters:eml": ("letter", OWNER_ONLY, GET_ONLY),
    "letters:mark_sent": ("letter", POST_ONLY, OWNER_ONLY),
    "letters:delete": ("letter", WRITE, WRITE),
    "letters:gift_file": ("gift", READ, GET_ONLY),
    "coaching:end": ("coaching", CONSENT_PARTY, CONSENT_PARTY),
    "coaching:level": ("coaching", POST_ONLY, CONSENT_CLIENT),
    "coaching:calendar": ("coaching", POST_ONLY, CONSENT_CLIENT),
    "coaching:client": ("client", COACH_OF, GET_ONLY),
    "insights:client": ("client", COACH_OF, GET_ONLY),
    "coaching:client_board": ("client", COACH_OF, GET_ONLY),
    "coaching:client_application_create": ("client", ACT_FOR, ACT_FOR),
    "coaching:review_request": ("letter", POST_ONLY, OWNER_ONLY),
    "coaching:comment_add": ("letter", POST_ONLY, COMMENT),
    "coaching:review_done": ("letter", POST_ONLY, COACH_COMMENT),
    "coaching:comment_resolve": ("comment", POST_ONLY, OWNER_ONLY),
    "exports:download": ("export", OWNER_ONLY, GET_ONLY),
    "exports:restore_detail": ("restore_job", ACCOUNT_OWNER, GET_ONLY),
    "exports:restore_progress": ("restore_job", ACCOUNT_OWNER, GET_ONLY),
    # An import writes into its owner's data only: no coach, whatever the level (views.py).
    "imports:detail": ("import_job", OWNER_ONLY, OWNER_ONLY),
    "imports:progress": ("import_job", OWNER_ONLY, GET_ONLY),
    "coaching:next_step_add": ("client", POST_ONLY, SET_STEPS),
    "coaching:next_step_done": ("next_step", POST_ONLY, OWNER_ONLY),
    "coaching:next_step_withdraw": ("next_step", POST_ONLY, STEP_SETTER),
    "coaching:note_add": ("client", POST_ONLY, COACH_OF),
    "coaching:note_delete": ("note", POST_ONLY, NOTE_AUTHOR),
}
NOT_USER_DATA = {"admin", "reminders"}  # the admin has its own staff rule; tokens, not ids


def takes_an_id(pattern: URLPattern) -> bool:
    return any(isinstance(c, IntConverter) for c in pattern.pattern.converters.values())


def object_url_names() -> set[str]:
    found = set()

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if inner not in NOT_USER_DATA:
                    walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name and takes_an_id(entry):
                found.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, None)
    return found


def test_every_object_url_is_in_the_matrix():
    assert object_url_names() == set(POLICY)


def expected(policy, actor: str, method: str):
    if actor == "anonymous":
        return "login"
    if policy == POST_ONLY:
        return 405 if method == "get" else None
    if policy == GET_ONLY:
        return 405
    return policy.get(actor, 404)


CASES = [
    (name, method, actor)
    for name in sorted(POLICY)
    for method in ("get", "post")
    for actor in ACTORS
]


def build_world():
    """The owner's data, and every actor."""
    owner, stranger = make_owner(), make_stranger()
    actors = {"owner": owner, "stranger": stranger, "anonymous": None}
    for actor, level in [
        ("coach_view", Level.VIEW),
        ("coach_comment", Level.COMMENT),
        ("coach_edit", Level.EDIT),
        ("coach_revoked", Level.EDIT),
    ]:
        actors[actor] = make_coach(email=f"{actor}@example.com")
        consent = coaching_between(actors[actor], owner, level)
        if actor == "coach_view":
            view_consent = consent
    from followup.coaching.services import consent as coaching_services

    coaching_services.coaching_end(
        coaching=Coaching.objects.get(coach=actors["coach_revoked"], client=owner)
    )
    actors["other_coach"] = make_coach(email="other_coach@example.com")
    coaching_between(actors["other_coach"], stranger, Level.EDIT)

    application = ApplicationFactory(owner=owner)
    interviewer = ContactFactory(owner=owner)
    interview = services.interview_create(
        application=application,
        scheduled_at=application.created_at,
        interviewers=[(interviewer, "data quality")],
        today=owner.today(),
    )
    letter = LetterFactory(application=application, contact=interviewer, interview=interview)
    gift = gift_with_file(letter, inspiration="data quality")
    later = FollowUp.objects.create(
        application=application, kind="follow_up", step=1, due_on=owner.today()
    )
    snoozed = undoing.follow_up_move(follow_up=later, until=owner.today() + timedelta(days=3))
    objects = {
        "application": application,
        "contact": ContactFactory(owner=owner),  # not referenced by a letter: deletable
        "interview": interview,
        "letter": letter,
        "gift": gift,
        "follow_up": FollowUp.objects.get(interview=interview),
        "plan_change": snoozed,
        "coaching": view_consent,
        "client": owner,
        "comment": Comment.objects.create(
            letter=letter, author=actors["coach_comment"], text="Shorter, please."
        ),
        "export": ExportJob.objects.create(owner=owner),
        "import_job": import_job_with_file(owner),
        "restore_job": RestoreJob.objects.create(owner=owner, file_name="followup-export.zip"),
        "next_step": NextStep.objects.create(
            client=owner, set_by=actors["coach_comment"], text="Call Marcus"
        ),
        "note": CoachNote.objects.create(coaching=view_consent, text="Nervous about salary talk."),
    }
    return actors, objects


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module's 700 cases rather than for each of them."""
    media = tmp_path_factory.mktemp("access-media")
    yield from built_once(build_world, django_db_blocker, media)


@pytest.fixture
def world(db, world_once):
    return world_once


def snapshot() -> dict:
    """Every row a request could change."""
    models = [
        Application, ApplicationEvent, Contact, Interview, Interviewer, FollowUp, Letter, Gift,
        Comment, Coaching, User, ExportJob, ImportJob, ImportedRow, NextStep, CoachNote,
        RestoreJob, PlanChange,
    ]  # fmt: skip
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in models}


# A POST body that would change things if it were accepted, with other people's ids planted in it.
HOSTILE_POST = {
    "organisation": "Changed",
    "position": "Changed",
    "status": "hired",
    "name": "Changed",
    "subject": "Changed",
    "body": "Changed",
    "text": "Changed",
    "kind": "link",
    "url": "https://example.com/x",
    "level": "edit",
    "owner": "1",
    "client": "1",
    "coach": "1",
    "application": "1",
    "sent_on": "2026-01-01",
    "send_anyway": "on",
}


@pytest.mark.parametrize("name, method, actor", CASES)
def test_matrix(client, world, name, method, actor):
    actors, objects = world
    kind, get_policy, post_policy = POLICY[name]
    want = expected(get_policy if method == "get" else post_policy, actor, method)
    if actors[actor] is not None:
        client.force_login(actors[actor])
    url = reverse(name, args=[objects[kind].pk])
    before = snapshot()

    response = getattr(client, method)(url, HOSTILE_POST if method == "post" else None)

    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif want == "ok":
        assert response.status_code < 500 and response.status_code not in (403, 404, 405)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("account_login"))
        return
    else:
        assert response.status_code == want
    assert snapshot() == before


def test_matrix_size():
    """The note quotes this: URL patterns x actors x methods."""
    assert len(CASES) == len(POLICY) * len(ACTORS) * 2
