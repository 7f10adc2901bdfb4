"""Create (or reset) a demo job seeker with a realistic pipeline, built through the services,
and a demo coach with three clients, one at each level of consent (`home/demo_caseload.py`).

Running it again replaces the demo people's data with a fresh copy dated from today, so the
overdue, due-today and upcoming follow-ups are always where a visitor expects them.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from followup.accounts.models import User
from followup.applications import services
from followup.applications.models import (
    Application,
    FollowUp,
    FollowUpKind,
    Status,
)
from followup.contacts.models import Contact
from followup.home.demo_caseload import COACH_EMAIL, Caseload, demo_person
from followup.home.demo_caseload import summary as caseload_summary
from followup.interviews.models import Interview, InterviewKind
from followup.letters.models import Gift, GiftKind, Letter, LetterKind
from followup.reminders.models import Reminder

DEMO_EMAIL = "demo@followup.example"
DEMO_NAME = "Jordan Ellis"
DEMO_TIME_ZONE = "Europe/London"
# Public on purpose: printed on every run, and refused when DEBUG is off.
DEFAULT_PASSWORD = "demo-followup-2026"  # noqa: S105

# name, role, organisation, email, notes
CONTACTS = [
    (
        "Priya Natarajan",
        "Head of Analytics",
        "Harbourline Logistics",
        "priya.natarajan@harbourline.example",
        "Hiring manager. Former consultant; prefers short emails with one clear point.",
    ),
    (
        "Hannah Okafor",
        "Talent Partner",
        "Larkspur Health",
        "h.okafor@larkspurhealth.example",
        "Ran the phone screen. Said the panel usually decides within two weeks of the last round.",
    ),
    (
        "Marcus Bell",
        "Engineering Manager, Data Platform",
        "Larkspur Health",
        "marcus.bell@larkspurhealth.example",
        "Would be my line manager. Runs the team's Friday lunchtime running club.",
    ),
    (
        "Aisha Rahman",
        "Senior Data Engineer",
        "Larkspur Health",
        "aisha.rahman@larkspurhealth.example",
        "Sharpest questions of the panel, all about testing and data quality.",
    ),
    (
        "Daniel Osei",
        "Lead GIS Analyst",
        "Kestrel Maps",
        "daniel@kestrelmaps.example",
        "Moving to Bristol to open the new office; would lead the team I'd join.",
    ),
    (
        "Elena Marsh",
        "Director of Product",
        "Kestrel Maps",
        "elena.marsh@kestrelmaps.example",
        "Joins the second round. Came from a ride-hailing company.",
    ),
    (
        "Ruth Calloway",
        "Organiser",
        "Bristol Geospatial Meetup",
        "ruth@bristolgeo.example",
        "Worked with her at the council. Glad to meet anyone joining the Bristol mapping scene.",
    ),
    (
        "Grace Liu",
        "BI Manager",
        "Copperleaf Foods",
        "grace.liu@copperleaf.example",
        "Straightforward and warm. Mentioned the team is six people across Reading and Leeds.",
    ),
    (
        "Sofia Marchetti",
        "Head of Risk Analytics",
        "Pennant Bank",
        "sofia.marchetti@pennantbank.example",
        "Very detail-minded. Asked for examples of documentation I have written.",
    ),
    (
        "Owen Pryce",
        "Trading Analytics Lead",
        "Tidewater Energy",
        "owen.pryce@tidewater.example",
        "Friendly even after the no; offered to keep my details on file.",
    ),
    (
        "Claire Dunmore",
        "Recruiter",
        "Oakridge Retail Group",
        "claire.dunmore@oakridge.example",
        "",
    ),
    (
        "Ben Whitaker",
        "Product Analytics Manager",
        "Saltmarsh Software",
        "ben@saltmarsh.example",
        "Worth staying in touch with: they hire analysts every spring.",
    ),
    (
        "Jonah Feld",
        "Operations Director",
        "Riverbend Community Trust",
        "jonah@riverbendtrust.example",
        "My manager on the current contract.",
    ),
]


class Command(BaseCommand):
    help = (
        "Create or reset the demo job seeker, with a pipeline in every status, and a demo "
        "coach with three clients."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"The demo people's password (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args, password: str, **options):
        # The default password is printed in the README and on every run: fine on a laptop, a
        # known account on a public server.
        if password == DEFAULT_PASSWORD and not settings.DEBUG:
            raise CommandError("DEBUG is off: choose a password for the demo with --password.")
        with transaction.atomic():
            user = demo_user(password=password)
            demo_data_clear(user=user)
            Pipeline(user).build()
            coach = Caseload(
                job_seeker=user,
                password=password,
                pipeline_for=Pipeline,
                clear=lambda person: demo_data_clear(user=person),
            ).build()
        self.stdout.write(self.style.SUCCESS(summary(user)))
        self.stdout.write(self.style.SUCCESS(caseload_summary(coach)))
        self.stdout.write(
            f"Log in at {settings.SITE_URL}{reverse('account_login')}\n"
            f"  as the job seeker:  {DEMO_EMAIL}\n"
            f"  as the coach:       {COACH_EMAIL}\n"
            f"  password (both, and the coach's clients): {password}"
        )


def demo_user(*, password: str) -> User:
    """Return the demo person with the known profile, password and a confirmed address (login
    requires a verified one), the follow-up cadence back at its defaults."""
    cadence = ("cadence_first_days", "cadence_second_days", "cadence_repeat_days")
    return demo_person(
        email=DEMO_EMAIL,
        name=DEMO_NAME,
        time_zone=DEMO_TIME_ZONE,
        password=password,
        **{name: User._meta.get_field(name).get_default() for name in cadence},
    )


def demo_data_clear(*, user: User) -> None:
    # Applications first: their letters and gifts protect the contacts they are addressed to.
    Application.objects.filter(owner=user).delete()
    Contact.objects.filter(owner=user).delete()
    # A reminder already sent today would otherwise stand for today's fresh follow-ups, and the
    # reset demo would send none.
    Reminder.objects.filter(recipient=user).delete()


def summary(user: User) -> str:
    today = user.today()
    follow_ups = FollowUp.objects.filter(application__owner=user).pending()
    return (
        f"Demo data ready for {user.name}: "
        f"{Application.objects.filter(owner=user).count()} applications, "
        f"{Interview.objects.filter(application__owner=user).count()} interviews, "
        f"{Contact.objects.filter(owner=user).count()} contacts, "
        f"{Letter.objects.filter(application__owner=user).count()} letters; "
        f"follow-ups: {follow_ups.filter(due_on__lt=today).count()} overdue, "
        f"{follow_ups.filter(due_on=today).count()} due today, "
        f"{follow_ups.filter(due_on__gt=today).count()} upcoming."
    )


class Pipeline:
    """The demo person's job search, told as the things that happened, day by day.

    Days are offsets from today in the person's zone: -15 is fifteen days ago. The services stamp
    their rows with the current time; `_stamp` moves them back to the day the story says.
    """

    def __init__(self, user: User):
        self.user = user
        self.zone = user.zone
        self.today = user.today()
        self.started = timezone.now()
        self.contacts: dict[str, Contact] = {}
        self.last_activity: dict[int, datetime] = {}

    # --- Dates --------------------------------------------------------------------------------

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def at(self, offset: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.day(offset), time(hour, minute), tzinfo=self.zone)

    def _stamp(self, application: Application, when: datetime) -> None:
        """Date the rows the last service call wrote (timeline events, closed follow-ups)."""
        # Strictly before the run started, so a later call's rows are told apart from these.
        when = min(when, self.started - timedelta(minutes=1))
        application.events.filter(occurred_at__gte=self.started).update(occurred_at=when)
        application.follow_ups.filter(completed_at__gte=self.started).update(completed_at=when)
        self._touch(application, when)

    def _touch(self, application: Application, when: datetime) -> None:
        when = min(when, self.started)
        self.last_activity[application.pk] = max(when, self.last_activity.get(application.pk, when))

    # --- Steps of the story, each through the services ----------------------------------------

    def apply(self, *, on: int, **fields) -> Application:
        when = self.at(on, 9, 20)
        application = services.application_create(
            owner=self.user, created_at=when, applied_on=when.date(), **fields
        )
        self._stamp(application, when)
        return application

    def interview(
        self,
        application: Application,
        *,
        on: int,
        hour: int,
        interviewers: list[tuple[str, str]],
        **fields,
    ) -> Interview:
        when = self.at(on, hour)
        interview = services.interview_create(
            application=application,
            scheduled_at=when,
            interviewers=[(self.contacts[name], cares_about) for name, cares_about in interviewers],
            today=self.today,
            **fields,
        )
        self._stamp(application, when)
        return interview

    def thank(
        self, interview: Interview, *, to: str, on: int, subject: str, gift=None, **parts
    ) -> Letter:
        """Send the thank-you letter an interviewer is owed, which completes its follow-up."""
        contact = self.contacts[to]
        follow_up = interview.follow_ups.pending().get(kind=FollowUpKind.THANK_YOU, contact=contact)
        letter = self._letter(
            interview.application,
            contact,
            kind=LetterKind.THANK_YOU,
            interview=interview,
            follow_up=follow_up,
            subject=subject,
            on=on,
            gift=gift,
            **parts,
        )
        services.follow_up_complete(follow_up=follow_up, letter=letter, on=self.day(on))
        self._stamp(interview.application, self.at(on, 8, 45))
        return letter

    def follow_up(
        self, application: Application, *, to: str, on: int, subject: str, text: str
    ) -> Letter:
        """Send the next planned follow-up letter, which plans the step after it."""
        follow_up = application.follow_ups.pending().get(kind=FollowUpKind.FOLLOW_UP)
        contact = self.contacts[to]
        letter = self._letter(
            application,
            contact,
            kind=LetterKind.FOLLOW_UP,
            follow_up=follow_up,
            subject=subject,
            on=on,
            body=self._signed(contact, [text]),
        )
        services.follow_up_complete(follow_up=follow_up, letter=letter, on=self.day(on))
        self._stamp(application, self.at(on, 9, 5))
        return letter

    def reply(self, application: Application, *, on: int, text: str) -> None:
        when = self.at(on, 13, 10)
        services.application_record_reply(application=application, text=text, occurred_at=when)
        self._touch(application, when)

    def move(self, application: Application, status: str, *, on: int, note: str = "") -> None:
        services.application_set_status(
            application=application, status=status, today=self.day(on), note=note
        )
        self._stamp(application, self.at(on, 16, 30))

    # --- Letters ------------------------------------------------------------------------------

    def _signed(self, contact: Contact, paragraphs: list[str]) -> str:
        first_name = contact.name.split(" ")[0]
        return "\n\n".join(
            [f"Dear {first_name},", *filter(None, paragraphs), f"Best regards,\n{self.user.name}"]
        )

    def _letter(
        self,
        application: Application,
        contact: Contact,
        *,
        on: int,
        gift: dict | None = None,
        sent: bool = True,
        body: str | None = None,
        **fields,
    ) -> Letter:
        gift = dict(gift or {})
        gift_note = gift.pop("note", "")
        if body is None and sent:
            # The body is assembled from the four parts, the gift offered before the last one.
            body = self._signed(
                contact,
                [
                    fields.get("appreciation", ""),
                    fields.get("still_interested", ""),
                    fields.get("great_fit", ""),
                    gift_note,
                    fields.get("availability", ""),
                ],
            )
        letter = Letter.objects.create(
            application=application,
            contact=contact,
            body=body or "",
            sent_on=self.day(on) if sent else None,
            created_at=min(self.at(on, 8, 0), self.started),
            **fields,
        )
        if gift:
            Gift.objects.create(letter=letter, **gift)
        return letter

    # --- The story ----------------------------------------------------------------------------

    def build(self) -> None:
        for name, role, organisation, email, notes in CONTACTS:
            self.contacts[name] = Contact.objects.create(
                owner=self.user,
                name=name,
                role=role,
                organisation=organisation,
                email=email,
                notes=notes,
            )
        self.riverbend_hired()
        self.tidewater_eliminated()
        self.oakridge_eliminated()
        self.brightline_withdrawn()
        self.saltmarsh_withdrawn()
        self.copperleaf_offer()
        self.pennant_offer()
        self.harbourline_overdue()
        self.larkspur_due_today()
        self.kestrel_upcoming()
        self.mosaic_applied()
        self.fenwick_applied()
        # The lists sort by last change: make that the story's last event, not this run.
        for pk, when in self.last_activity.items():
            Application.objects.filter(pk=pk).update(updated_at=when)

    def riverbend_hired(self) -> None:
        application = self.apply(
            on=-62,
            organisation="Riverbend Community Trust",
            position="Data & Impact Analyst (six-month contract)",
            found_via="CharityJob",
            notes="Three days a week, fixed term. Runs alongside the search for a permanent role.",
        )
        interview = self.interview(
            application,
            on=-50,
            hour=14,
            kind=InterviewKind.VIDEO,
            notes=(
                "Relaxed hour with Jonah. Trustees get impact figures once a year and want them "
                "monthly. He liked the volunteer-hours dashboard from my portfolio."
            ),
            interviewers=[
                (
                    "Jonah Feld",
                    "Wants trustees to see impact numbers without waiting for the annual "
                    "report. Volunteers at the Saturday food bank.",
                )
            ],
        )
        self.thank(
            interview,
            to="Jonah Feld",
            on=-49,
            subject="Thank you, and the monthly impact report",
            appreciation=(
                "Thank you for yesterday's conversation, and for showing me round the food "
                "bank's stock spreadsheet: it made the work very concrete."
            ),
            still_interested=(
                "I would love to help the Trust report its impact every month rather than once "
                "a year."
            ),
            great_fit=(
                "I have built volunteer and outcome reporting for two charities before, on "
                "tools a small team can keep running without me."
            ),
            availability="If it would help to meet any of the trustees, I am free most days.",
        )
        self.reply(application, on=-45, text="Jonah phoned: they would like to offer the contract.")
        self.move(application, Status.OFFER, on=-45)
        self.move(
            application,
            Status.HIRED,
            on=-42,
            note="Contract signed; Tuesdays, Wednesdays and Thursdays.",
        )

    def tidewater_eliminated(self) -> None:
        application = self.apply(
            on=-52,
            organisation="Tidewater Energy",
            position="Data Analyst, Trading",
            posting_url="https://careers.tidewater.example/data-analyst-trading",
            found_via="LinkedIn job alert",
            notes="Fast-paced desk; half-hourly settlement data. Hybrid, Canary Wharf.",
        )
        interview = self.interview(
            application,
            on=-38,
            hour=10,
            kind=InterviewKind.TECHNICAL,
            location="https://meet.tidewater.example/owen-pryce",
            notes=(
                "Forty-minute SQL exercise on settlement data (window functions, gaps in "
                "half-hour series), then twenty minutes about the desk and its traders."
            ),
            interviewers=[
                (
                    "Owen Pryce",
                    "Big fan of Polars: rewrote the team's position reports with it. Swims in "
                    "the sea all year round.",
                )
            ],
        )
        self.thank(
            interview,
            to="Owen Pryce",
            on=-37,
            subject="Thank you for the technical interview",
            appreciation=(
                "Thank you for the interview yesterday. The settlement-data exercise was the "
                "most enjoyable technical test I have sat in a while."
            ),
            still_interested="I remain very keen on the Data Analyst role on your desk.",
            great_fit=(
                "I am at home with messy time series, and I have supported people who need "
                "numbers before the market moves, not after."
            ),
            availability="I am happy to come in and meet the traders whenever suits them.",
            gift={
                "kind": GiftKind.LINK,
                "title": "The Polars user guide on time-series resampling",
                "url": "https://docs.pola.rs/",
                "inspiration": "He rewrote the team's position reports with Polars.",
                "note": (
                    "You mentioned moving the position reports to Polars. Its user guide has "
                    "a clear chapter on resampling and filling gaps in time series, which is "
                    "exactly the half-hour problem from the exercise: https://docs.pola.rs/"
                ),
            },
        )
        self.follow_up(
            application,
            to="Owen Pryce",
            on=-30,
            subject="Following up on the Data Analyst, Trading role",
            text=(
                "I hope the quarter-end rush has eased. I wanted to say I am still very "
                "interested in joining the desk, and to ask whether there is any news on the "
                "timing of a decision."
            ),
        )
        self.reply(
            application,
            on=-18,
            text=(
                "Owen emailed: they went with someone who has energy-trading experience, and "
                "will keep my details on file for the next opening."
            ),
        )
        self.move(application, Status.ELIMINATED, on=-18)

    def oakridge_eliminated(self) -> None:
        application = self.apply(
            on=-45,
            organisation="Oakridge Retail Group",
            position="Customer Insight Analyst",
            found_via="Indeed",
            notes="Loyalty-card data; head office in Milton Keynes.",
        )
        interview = self.interview(
            application,
            on=-39,
            hour=12,
            kind=InterviewKind.PHONE,
            notes="Short screening call: salary range, notice period, why retail.",
            interviewers=[
                (
                    "Claire Dunmore",
                    "Setting up the company's first graduate analytics scheme.",
                )
            ],
        )
        self.thank(
            interview,
            to="Claire Dunmore",
            on=-38,
            subject="Thank you for the call",
            appreciation=(
                "Thank you for the call yesterday and for explaining the process so clearly."
            ),
            still_interested="I am still very interested in the Customer Insight Analyst role.",
            great_fit=(
                "Turning loyalty and basket data into decisions the stores act on is work I have "
                "done before and enjoy."
            ),
            availability="I can make myself available for a next round at short notice.",
        )
        self.reply(application, on=-31, text="Automated email: the application is not progressing.")
        self.move(application, Status.ELIMINATED, on=-31)

    def brightline_withdrawn(self) -> None:
        application = self.apply(
            on=-48,
            organisation="Brightline Transit",
            position="Senior BI Analyst",
            found_via="Company careers page",
            notes="Full-time, five days on site in Croydon.",
        )
        self.move(
            application,
            Status.WITHDRAWN,
            on=-41,
            note="Took the Riverbend contract; five days on site would clash with it.",
        )

    def saltmarsh_withdrawn(self) -> None:
        application = self.apply(
            on=-26,
            organisation="Saltmarsh Software",
            position="Product Analyst",
            found_via="Otta",
            notes="B2B software for vets. Small data team, strong experimentation culture.",
        )
        interview = self.interview(
            application,
            on=-19,
            hour=16,
            kind=InterviewKind.VIDEO,
            notes=(
                "Walked through an A/B test I ran; Ben asked how I would pick the metric. Only "
                "at the end did it come up that the role is four days a week in Leeds."
            ),
            interviewers=[
                (
                    "Ben Whitaker",
                    "Runs a product analytics reading group; this month it is experiment design.",
                )
            ],
        )
        self.thank(
            interview,
            to="Ben Whitaker",
            on=-18,
            subject="Thank you for the interview",
            appreciation=(
                "Thank you for the interview yesterday; your questions on metrics were great."
            ),
            still_interested="I am still interested in the Product Analyst role.",
            great_fit=(
                "I have run experiments end to end, from the hypothesis to explaining a null "
                "result to the people who hoped for a win."
            ),
            availability="Happy to talk again whenever is convenient.",
            gift={
                "kind": GiftKind.LIST,
                "title": "Reading on experiment design",
                "items": (
                    "Trustworthy Online Controlled Experiments (Kohavi, Tang, Xu)\n"
                    "Evan Miller's sample size calculator and his notes on peeking\n"
                    "The chapter on causal inference in The Effect (Huntington-Klein)"
                ),
                "inspiration": "His reading group is on experiment design this month.",
                "note": (
                    "You said your reading group is on experiment design this month, so here "
                    "are three things I keep going back to:\n"
                    "- Trustworthy Online Controlled Experiments (Kohavi, Tang, Xu)\n"
                    "- Evan Miller's sample size calculator and his notes on peeking\n"
                    "- The chapter on causal inference in The Effect (Huntington-Klein)"
                ),
            },
        )
        self.move(
            application,
            Status.WITHDRAWN,
            on=-9,
            note="The role is four days a week in Leeds; moving is not possible this year.",
        )

    def copperleaf_offer(self) -> None:
        application = self.apply(
            on=-40,
            organisation="Copperleaf Foods",
            position="Business Intelligence Developer",
            found_via="Recruiter: Hollis Talent",
            notes="Reading, three days on site. Moving sales forecasting out of Excel.",
        )
        first = self.interview(
            application,
            on=-28,
            hour=11,
            kind=InterviewKind.VIDEO,
            notes=(
                "Grace described the forecast meeting: sales overrides the model every month. "
                "She wants forecasts people trust, with the seasonality explained."
            ),
            interviewers=[
                (
                    "Grace Liu",
                    "Seasonal demand forecasting the sales team believes in. A keen home "
                    "baker who entered the village show last summer.",
                )
            ],
        )
        self.thank(
            first,
            to="Grace Liu",
            on=-27,
            subject="Thank you: forecasting at Copperleaf",
            appreciation=(
                "Thank you for yesterday's interview, and for being so open about the monthly "
                "forecast meeting."
            ),
            still_interested="I am even more interested in the role after our conversation.",
            great_fit=(
                "At my last job I rebuilt a demand forecast with the sales team in the room, so "
                "every seasonal adjustment had a name and a reason they could see."
            ),
            availability="I would be glad to come to Reading for a next round.",
            gift={
                "kind": GiftKind.ARTICLE,
                "title": "Forecasting: Principles and Practice, the chapter on seasonality",
                "url": "https://otexts.com/fpp3/",
                "inspiration": "She wants seasonal forecasts the sales team trusts.",
                "note": (
                    "You mentioned the sales team overriding the forecast. The free textbook "
                    "by Hyndman and Athanasopoulos explains seasonal decomposition in a way "
                    "non-analysts follow well: https://otexts.com/fpp3/"
                ),
            },
        )
        second = self.interview(
            application,
            on=-14,
            hour=10,
            round=2,
            kind=InterviewKind.ON_SITE,
            location="Copperleaf Foods, Thames Valley Park, Reading",
            notes="Presented the case study (Christmas demand) to Grace and two regional leads.",
            interviewers=[
                ("Grace Liu", "Wants a first version before the Christmas planning cycle.")
            ],
        )
        self.thank(
            second,
            to="Grace Liu",
            on=-13,
            subject="Thank you for having me in Reading",
            appreciation=(
                "Thank you for hosting me yesterday, and for the tour of the test kitchen."
            ),
            still_interested="I left even keener to join the team.",
            great_fit=(
                "The regional leads' questions were the kind I enjoy answering with data, and I "
                "think a first forecast before Christmas planning is realistic."
            ),
            availability="If anything from the case study needs a longer answer, I can call.",
        )
        self.reply(
            application,
            on=-4,
            text="Grace phoned with a verbal offer; the written offer follows from HR.",
        )
        self.move(application, Status.OFFER, on=-4)
        self.follow_up(
            application,
            to="Grace Liu",
            on=-3,
            subject="Thank you for the offer",
            text=(
                "Thank you again for the call. I am delighted, and I will reply formally once "
                "the written offer arrives. Could we talk briefly about the start date?"
            ),
        )

    def pennant_offer(self) -> None:
        application = self.apply(
            on=-35,
            organisation="Pennant Bank",
            position="Risk Data Analyst",
            posting_url="https://jobs.pennantbank.example/risk-data-analyst",
            found_via="Company careers page",
            notes="City office, hybrid. Regulatory reporting; documentation heavy.",
        )
        interview = self.interview(
            application,
            on=-22,
            hour=9,
            kind=InterviewKind.VIDEO,
            notes=(
                "Competency questions, then a walk through my data lineage notes. Sofia said: "
                "if it isn't written down, it didn't happen."
            ),
            interviewers=[
                (
                    "Sofia Marchetti",
                    "Documentation above all. Cycled London to Paris for charity last summer.",
                )
            ],
        )
        self.thank(
            interview,
            to="Sofia Marchetti",
            on=-21,
            subject="Thank you for the interview",
            appreciation="Thank you for the interview yesterday.",
            still_interested="I am very interested in the Risk Data Analyst role.",
            great_fit=(
                "I write the runbook before the pipeline goes live, and my last team still uses "
                "the lineage notes I left them."
            ),
            availability="I am available for another conversation whenever suits you.",
        )
        self.follow_up(
            application,
            to="Sofia Marchetti",
            on=-14,
            subject="Following up on the Risk Data Analyst role",
            text=(
                "I wanted to follow up on my interview and say I am still keen. Since we spoke "
                "I have read the PRA's guidance on data aggregation you mentioned, and it made "
                "the role even more interesting."
            ),
        )
        self.reply(
            application,
            on=-2,
            text="Written offer received; they would like an answer within ten days.",
        )
        self.move(application, Status.OFFER, on=-2)

    def harbourline_overdue(self) -> None:
        application = self.apply(
            on=-30,
            organisation="Harbourline Logistics",
            position="Senior Data Analyst",
            posting_url="https://careers.harbourline.example/jobs/senior-data-analyst",
            found_via="LinkedIn job alert",
            notes="Hybrid, two days a week at the Tilbury depot. Team of six.",
        )
        interview = self.interview(
            application,
            on=-16,
            hour=11,
            kind=InterviewKind.VIDEO,
            location="https://meet.harbourline.example/analytics",
            notes=(
                "Forty-five minutes. Walked through my delivery-delay dashboard. Priya wants "
                "the weekly operations reporting off spreadsheets by the end of the year. The "
                "next step would be a case study with the wider team."
            ),
            interviewers=[
                (
                    "Priya Natarajan",
                    "Her favourite data tool this year is DuckDB; she is trying it on the "
                    "warehouse-scan exports. Tired of reports breaking when a column is renamed.",
                )
            ],
        )
        self.thank(
            interview,
            to="Priya Natarajan",
            on=-15,
            subject="Thank you for the interview: Senior Data Analyst",
            appreciation=(
                "Thank you for taking the time to talk with me yesterday. I enjoyed hearing how "
                "the analytics team grew from two people to six, and the story of the depot "
                "dashboard rebuilt over one weekend."
            ),
            still_interested=(
                "Our conversation made me keener still on the Senior Data Analyst role, and I "
                "would very much like to help move the weekly operations reporting off "
                "spreadsheets."
            ),
            great_fit=(
                "At Meridian Freight I replaced fourteen hand-kept spreadsheets with one tested "
                "pipeline and a single dashboard, and the Monday reporting scramble went from a "
                "full day to under an hour. The problems you described sound very familiar."
            ),
            availability=(
                "I would be glad to meet the wider team for the case study, or to talk again "
                "whenever it suits you."
            ),
            gift={
                "kind": GiftKind.LINK,
                "title": "DuckDB's guide to reading CSV files",
                "url": "https://duckdb.org/docs/",
                "inspiration": (
                    "She is trying DuckDB on the warehouse-scan exports and called it her "
                    "favourite tool this year; reports break when a column is renamed."
                ),
                "note": (
                    "You mentioned you are trying DuckDB on the warehouse-scan exports. Its "
                    "documentation has a good section on reading CSV files in place, "
                    "including how to pin column names and types so a renamed column fails "
                    "loudly instead of quietly: https://duckdb.org/docs/"
                ),
            },
        )
        # The first follow-up after that letter fell due last week and has not been sent.

    def larkspur_due_today(self) -> None:
        application = self.apply(
            on=-21,
            organisation="Larkspur Health",
            position="Data Engineer",
            posting_url="https://larkspurhealth.example/careers/data-engineer",
            found_via="Referral from a former colleague",
            notes="Remote, with a monthly team day in Leeds. Band £55–65k.",
        )
        screen = self.interview(
            application,
            on=-12,
            hour=14,
            kind=InterviewKind.PHONE,
            notes="Twenty minutes: right to work, one month's notice, salary expectations.",
            interviewers=[
                ("Hannah Okafor", "Looks for people who can explain pipelines to clinicians.")
            ],
        )
        self.thank(
            screen,
            to="Hannah Okafor",
            on=-11,
            subject="Thank you for the call",
            appreciation="Thank you for the call yesterday and for setting out the next steps.",
            still_interested="I am very interested in the Data Engineer role.",
            great_fit=(
                "I have spent the last two years explaining data pipelines to people who use "
                "the results but never see the code, and I enjoy it."
            ),
            availability="I am flexible for the panel interview, any day next week.",
        )
        panel = self.interview(
            application,
            on=-1,
            hour=10,
            round=2,
            kind=InterviewKind.PANEL,
            location="https://meet.larkspurhealth.example/panel",
            notes=(
                "Ninety minutes. System design: ingesting GP appointment feeds. Marcus asked how "
                "I would handle a feed that arrives late; Aisha went deep on data quality "
                "tests. They hope to decide within two weeks."
            ),
            interviewers=[
                (
                    "Marcus Bell",
                    "Running his first marathon, Manchester in April. The team is tired of "
                    "3 a.m. pages for jobs that could simply have retried.",
                ),
                (
                    "Aisha Rahman",
                    "Moving the nightly jobs from cron to Dagster; keen on data contracts "
                    "between teams.",
                ),
            ],
        )
        services.application_update(
            application=application, today=self.today, decision_date=self.day(13)
        )
        # Started this morning; the availability line and the gift's letter text are still to do.
        marcus = self.contacts["Marcus Bell"]
        self._letter(
            application,
            marcus,
            on=0,
            sent=False,
            kind=LetterKind.THANK_YOU,
            interview=panel,
            follow_up=panel.follow_ups.get(contact=marcus),
            subject="Thank you for the panel interview",
            appreciation=(
                "Thank you for the panel interview yesterday. The late-feed question has stayed "
                "with me, in a good way."
            ),
            still_interested="I am more certain than ever that I want to join the platform team.",
            great_fit=(
                "I cut overnight pages at my last job by two thirds by making jobs safe to "
                "retry and alerting only on what a person has to fix."
            ),
            gift={
                "kind": GiftKind.LIST,
                "title": "Things that helped my first marathon",
                "items": (
                    "A free parkrun every Saturday, for pacing practice\n"
                    "The official course map with the elevation profile\n"
                    "A taper plan for the last three weeks\n"
                    "Practising race-day breakfast on the long runs"
                ),
                "inspiration": "He is running his first marathon, Manchester in April.",
            },
        )

    def kestrel_upcoming(self) -> None:
        application = self.apply(
            on=-18,
            organisation="Kestrel Maps",
            position="Geospatial Analyst",
            found_via="Company careers page",
            notes="Based in the new Bristol office opening this spring. Relocation support.",
        )
        first = self.interview(
            application,
            on=-7,
            hour=15,
            kind=InterviewKind.VIDEO,
            notes=(
                "Technical chat on routing data and isochrones. Daniel shared the team's QGIS "
                "project. Second round on site with the product director."
            ),
            interviewers=[
                (
                    "Daniel Osei",
                    "Opening the new Bristol office this spring and wants to meet local mapping "
                    "people. Writes his own QGIS plugins.",
                )
            ],
        )
        self.thank(
            first,
            to="Daniel Osei",
            on=-6,
            subject="Thank you, and someone to meet in Bristol",
            appreciation="Thank you for the conversation yesterday and for the QGIS tour.",
            still_interested="I am keen to keep going to the next round.",
            great_fit=(
                "The isochrone work I did for the council's school-travel review is close to "
                "what your routing team does every day."
            ),
            availability="I can come to Bristol for the second round on any day that suits.",
            gift={
                "kind": GiftKind.INTRODUCTION,
                "introduced_contact": self.contacts["Ruth Calloway"],
                "inspiration": (
                    "He is opening the new Bristol office and wants to meet people in the "
                    "local mapping community."
                ),
                "note": (
                    "You said you would like to meet people in Bristol's mapping community "
                    "before the office opens. Ruth Calloway runs the Bristol Geospatial "
                    "Meetup and would be glad to hear from you: ruth@bristolgeo.example"
                ),
            },
        )
        self.interview(
            application,
            on=3,
            hour=11,
            round=2,
            kind=InterviewKind.ON_SITE,
            location="Kestrel Maps, Temple Quay, Bristol",
            notes="Prepare: the school-travel isochrones; ask how Bristol will work with London.",
            interviewers=[
                ("Daniel Osei", "Opening the new Bristol office this spring."),
                ("Elena Marsh", ""),
            ],
        )

    def mosaic_applied(self) -> None:
        self.apply(
            on=-6,
            organisation="Mosaic Learning",
            position="Learning Analytics Lead",
            posting_url="https://mosaiclearning.example/jobs/learning-analytics-lead",
            found_via="Guardian Jobs",
            notes="A step up: leading a team of two. Applications close at the end of the month.",
        )

    def fenwick_applied(self) -> None:
        self.apply(
            on=-2,
            organisation="Fenwick Analytics",
            position="Analytics Consultant",
            found_via="London data meetup",
            notes="Met one of their consultants at the meetup; she passed my CV to the partner.",
        )
