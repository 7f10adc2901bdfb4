"""The two people the fuzzed forms run against: the owner, whose forms are sent, and the stranger,
whose rows must not change; each has a full pipeline and the same coach."""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.utils import timezone

from followup.accounts.models import User
from followup.applications import services, undoing
from followup.applications.models import FollowUp
from followup.coaching.invitations import invitation_token
from followup.coaching.models import (
    Coaching,
    CoachingStatus,
    CoachNote,
    Comment,
    InvitedBy,
    Level,
    NextStep,
)
from followup.reminders import digest
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    LetterFactory,
    UserFactory,
    gift_with_file,
    import_job_with_file,
)
from tests.fuzz.strategies import Ref


@dataclass
class World:
    owner: User
    stranger: User
    coach: User
    rows: dict  # (who, kind) -> row
    tokens: dict  # name -> signed token
    clients: dict = field(default_factory=dict)  # the signed-in test clients, kept across cases

    def resolve(self, value):
        if isinstance(value, Ref):
            row = self.rows.get((value.who, value.kind))
            if row is None and value.kind == "user":
                row = getattr(self, value.who)
            return str(row.pk) if row is not None else "0"
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def mine(self, kind):
        return self.rows[("owner", kind)]

    def pairs(self, data: dict) -> list[tuple[str, object]]:
        """The request body as (name, value) pairs; a list is the field sent several times."""
        found = []
        for name, value in data.items():
            value = self.resolve(value)
            for one in value if isinstance(value, list) else [value]:
                found.append((name, one))
        return found

    def encode(self, data: dict) -> str:
        return urlencode(self.pairs(data))


def _pipeline(person: User, prefix: str) -> dict:
    """An application with an interview, one interviewer, its thank-you letter with a gift, the
    pending follow-up, and a contact no letter refers to."""
    application = ApplicationFactory(owner=person, organisation=f"{prefix} Analytics")
    contact = ContactFactory(owner=person, email=f"{prefix.lower()}.contact@example.com")
    spare = ContactFactory(owner=person, email=f"{prefix.lower()}.spare@example.com")
    interview = services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=3),
        interviewers=[(contact, "data quality")],
        today=person.today(),
    )
    letter = LetterFactory(application=application, contact=contact, interview=interview)
    gift = gift_with_file(letter, inspiration="data quality")
    # A second draft without a gift, to which a gift can be added.
    bare = LetterFactory(
        application=application, contact=spare, kind="follow_up", subject="Following up"
    )
    # A snooze that can still be undone.
    later = FollowUp.objects.create(
        application=application, kind="follow_up", step=1, due_on=person.today()
    )
    snoozed = undoing.follow_up_move(follow_up=later, until=person.today() + timedelta(days=3))
    return {
        "application": application,
        "contact": contact,
        "spare_contact": spare,
        "plan_change": snoozed,
        "interview": interview,
        "letter": letter,
        "bare_letter": bare,
        "gift": gift,
        "follow_up": FollowUp.objects.get(interview=interview),
        "import_job": import_job_with_file(person),
    }


def _consent(coach: User, client: User, level: str) -> Coaching:
    return Coaching.objects.create(
        coach=coach,
        client=client,
        invited_by=InvitedBy.CLIENT,
        invited_email=coach.email,
        level=level,
        status=CoachingStatus.ACTIVE,
        accepted_at=timezone.now(),
    )


def build_world(owner: User, stranger: User) -> World:
    """Both people with a full pipeline each and the same coach, who has commented on both."""
    coach = UserFactory(email="coach@example.com", name="Cora Coach", is_coach=True)
    rows = {}
    for who, person in (("owner", owner), ("stranger", stranger)):
        for kind, row in _pipeline(person, who.title()).items():
            rows[(who, kind)] = row
        rows[(who, "coaching")] = _consent(coach, person, Level.COMMENT)
        rows[(who, "comment")] = Comment.objects.create(
            letter=rows[(who, "letter")], author=coach, text="Say more about the pipeline."
        )
        rows[(who, "next_step")] = NextStep.objects.create(
            client=person, set_by=coach, text="Send the follow-up by Friday"
        )
        rows[(who, "coach_note")] = CoachNote.objects.create(
            coaching=rows[(who, "coaching")], text="Prepares well; nervous on the phone."
        )
    # The owner coaches someone too, at the "edit" level: the forms a coach fills in for a
    # client are sent as the owner, for them.
    rows[("owner", "client")] = UserFactory(email="client@example.com", name="Cleo Client")
    _consent(owner, rows[("owner", "client")], Level.EDIT)
    # And one at the "comment" level: the coach's side of next steps and notes is fuzzed as them.
    coachee = UserFactory(email="coachee@example.com", name="Cleo Coachee")
    coached = _consent(owner, coachee, Level.COMMENT)
    rows[("owner", "coachee")] = coachee
    rows[("owner", "coachee_application")] = ApplicationFactory(
        owner=coachee, organisation="Coachee Logistics"
    )
    rows[("owner", "coached_step")] = NextStep.objects.create(
        client=coachee, set_by=owner, text="Ask Marcus about the timeline"
    )
    rows[("owner", "coached_note")] = CoachNote.objects.create(
        coaching=coached, text="Wants a smaller company."
    )
    # The coach also asks the owner, by invitation, for access at a level the owner chooses.
    invitation = Coaching.objects.create(
        coach=coach, invited_by=InvitedBy.COACH, invited_email=owner.email
    )
    # And, as a job seeker, the coach asks the owner to be her coach.
    as_coach = Coaching.objects.create(
        client=coach, invited_by=InvitedBy.CLIENT, invited_email=owner.email, level=Level.EDIT
    )
    tokens = {
        "invitation": invitation_token(invitation),
        "invitation as coach": invitation_token(as_coach),
        "unsubscribe reminders": digest.unsubscribe_token(owner, rows[("owner", "application")]),
        "unsubscribe coach": digest.unsubscribe_token(owner, kind=digest.COACH),
    }
    return World(owner=owner, stranger=stranger, coach=coach, rows=rows, tokens=tokens)
