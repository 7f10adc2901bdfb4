"""The demo coach and three clients, one at each level of consent, for `manage.py seed_demo`.

- the demo job seeker, at "view and comment", has asked for a review of a thank-you draft;
- Chloe Martin (Tokyo, a long way from the coach in New York), at "view, comment and edit", has
  an application her coach recorded for her;
- Sam Okoye (Berlin), at "view", is falling behind: a thank-you and a follow-up overdue.

Each run resets them like the demo job seeker: the same people, fresh data dated from today.
The command passes in how it builds a pipeline and clears a person's data, so the story of each
client is told with the same steps (and services) as the job seeker's.
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import Application, FollowUp
from followup.coaching.models import AccessLogEntry, Coaching, CoachingStatus, InvitedBy, Level
from followup.contacts.models import Contact
from followup.interviews.models import InterviewKind
from followup.letters.models import Letter
from followup.reminders import schedule
from followup.reminders.models import Reminder

COACH_EMAIL = "coach@followup.example"
COACH_NAME = "Morgan Reyes"
COACH_TIME_ZONE = "America/New_York"
CHLOE_EMAIL = "chloe@followup.example"
SAM_EMAIL = "sam@followup.example"


def demo_person(*, email: str, name: str, time_zone: str, password: str, **fields) -> User:
    """Return the person at `email` with this profile, the password and a confirmed address."""
    person = User.objects.filter(email__iexact=email).first() or User.objects.create_user(email)
    person.email, person.name, person.time_zone, person.is_active = email, name, time_zone, True
    for name_, value in fields.items():
        setattr(person, name_, value)
    person.set_password(password)
    person.save()
    EmailAddress.objects.filter(user=person).exclude(email=email).delete()
    EmailAddress.objects.update_or_create(
        user=person, email=email, defaults={"verified": True, "primary": True}
    )
    return person


def consent(*, coach: User, client: User, level: str) -> Coaching:
    """An active consent at `level`, as an accepted invitation leaves it, replacing any earlier
    one between the two (and what the coach's visits wrote in the client's log).

    Made directly rather than by invitation: the demo's addresses are not mailed.
    """
    Coaching.objects.filter(coach=coach, client=client).delete()
    AccessLogEntry.objects.filter(coach=coach, client=client).delete()
    now = timezone.now()
    return Coaching.objects.create(
        coach=coach,
        client=client,
        invited_by=InvitedBy.CLIENT,
        invited_email=coach.email,
        level=level,
        status=CoachingStatus.ACTIVE,
        created_at=now,
        accepted_at=now,
    )


class Caseload:
    """The coach and the clients, built from the job seeker the command has just reset."""

    def __init__(
        self,
        *,
        job_seeker: User,
        password: str,
        pipeline_for: Callable[[User], object],
        clear: Callable[[User], None],
    ):
        self.job_seeker, self.password = job_seeker, password
        self.pipeline_for, self.clear = pipeline_for, clear

    def build(self) -> User:
        coach = demo_person(
            email=COACH_EMAIL,
            name=COACH_NAME,
            time_zone=COACH_TIME_ZONE,
            password=self.password,
            is_coach=True,
        )
        Reminder.objects.filter(recipient=coach).delete()
        chloe = self._client(CHLOE_EMAIL, "Chloe Martin", "Asia/Tokyo")
        sam = self._client(SAM_EMAIL, "Sam Okoye", "Europe/Berlin")
        consent(coach=coach, client=self.job_seeker, level=Level.COMMENT)
        consent(coach=coach, client=chloe, level=Level.EDIT)
        consent(coach=coach, client=sam, level=Level.VIEW)
        self.review_waiting()
        self.chloe_with_her_coach(chloe, coach)
        self.sam_falling_behind(sam)
        schedule.refresh_coach_digest(coach)
        return coach

    def _client(self, email: str, name: str, time_zone: str) -> User:
        client = demo_person(email=email, name=name, time_zone=time_zone, password=self.password)
        self.clear(client)
        return client

    def review_waiting(self) -> None:
        """The job seeker's thank-you draft, waiting for the coach's comments."""
        draft = Letter.objects.filter(application__owner=self.job_seeker).drafts().first()
        # As review_request leaves it, without emailing the coach (demo addresses get no mail).
        Letter.objects.filter(pk=draft.pk).update(review_requested_at=timezone.now())

    def _meet(self, story, client: User, *people: tuple[str, str, str, str]) -> None:
        for name, role, organisation, email in people:
            story.contacts[name] = Contact.objects.create(
                owner=client, name=name, role=role, organisation=organisation, email=email
            )

    def _finish(self, story) -> None:
        # Lists sort by last change: the story's, not this run's.
        for pk, when in story.last_activity.items():
            Application.objects.filter(pk=pk).update(updated_at=when)

    def chloe_with_her_coach(self, chloe: User, coach: User) -> None:
        story = self.pipeline_for(chloe)
        self._meet(
            story,
            chloe,
            ("Kenji Sato", "Head of Data", "Sakura Mobility", "kenji.sato@sakura.example"),
        )
        application = story.apply(
            on=-20,
            organisation="Sakura Mobility",
            position="Data Scientist, Routing",
            found_via="Company careers page",
        )
        interview = story.interview(
            application,
            on=-5,
            hour=14,
            kind=InterviewKind.VIDEO,
            notes="Route planning for the bike-share fleet; a take-home exercise may follow.",
            interviewers=[("Kenji Sato", "Cycles to work all year; wants fewer empty docks.")],
        )
        story.thank(
            interview,
            to="Kenji Sato",
            on=-4,
            subject="Thank you for the interview",
            appreciation="Thank you for walking me through the rebalancing problem yesterday.",
            still_interested="I am keen to keep going with Sakura Mobility.",
            great_fit="I built demand forecasts for a scooter fleet of a similar size.",
            availability="I am free for the take-home or another conversation any day.",
        )
        # Recorded by her coach, who spotted the opening: Chloe sees "added by your coach".
        story.apply(
            on=-1,
            by=coach,
            organisation="Harbour Bridge Analytics",
            position="Analytics Engineer",
            found_via=f"Spotted by {coach.name} at a meetup",
            notes="Applications close on Friday.",
        )
        self._finish(story)

    def sam_falling_behind(self, sam: User) -> None:
        story = self.pipeline_for(sam)
        self._meet(
            story,
            sam,
            ("Lena Vogt", "Team Lead BI", "Nordwind Energie", "lena.vogt@nordwind.example"),
            ("Tom Becker", "Recruiter", "Alpenblick Versicherung", "tom.becker@alpenblick.example"),
        )
        nordwind = story.apply(on=-35, organisation="Nordwind Energie", position="BI Developer")
        interview = story.interview(
            nordwind,
            on=-24,
            hour=10,
            kind=InterviewKind.ON_SITE,
            interviewers=[("Lena Vogt", "Moving the wind-farm reports to Power BI.")],
        )
        # Thanked, then nothing since: the first follow-up has been due for over a week.
        story.thank(
            interview,
            to="Lena Vogt",
            on=-23,
            subject="Thank you",
            appreciation="Thank you for showing me the control room.",
        )
        alpenblick = story.apply(
            on=-15, organisation="Alpenblick Versicherung", position="Data Analyst"
        )
        # Interviewed, and the thank-you never written.
        story.interview(
            alpenblick,
            on=-6,
            hour=15,
            kind=InterviewKind.PHONE,
            interviewers=[("Tom Becker", "")],
        )
        self._finish(story)


def summary(coach: User) -> str:
    lines = [f"Demo coach {coach.name}, with three clients:"]
    for coaching in Coaching.objects.active().filter(coach=coach).select_related("client"):
        client = coaching.client
        overdue = (
            FollowUp.objects.filter(application__owner=client)
            .still_due()
            .filter(due_on__lt=client.today())
            .count()
        )
        reviews = Letter.objects.filter(
            application__owner=client, review_requested_at__isnull=False
        ).count()
        lines.append(
            f"  {client.name} <{client.email}>, {coaching.get_level_display().lower()}: "
            f"overdue follow-ups {overdue}, reviews waiting {reviews}"
        )
    return "\n".join(lines)
