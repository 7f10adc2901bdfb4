"""The load bench's population: who is in the database, who logs in, and which pages they ask for.

INSERT ... SELECT over generate_series, with common.insert_select: the columns named here get SQL
expressions, every other column its model default, so a column added to a model later does not
break the bench. Ids: job seekers 1..N, coaches N+1..N+C, the sweep's people after them; a
seeker's applications (u-1)*A+1..u*A and contacts (u-1)*K+1..u*K; the sweep's applications after
all the seekers'. Child rows take the next value of their table's sequence.
"""

import time

from bench.common import execute, fetch_all, insert_select, log, reset_sequences

PASSWORD = "load-bench-password-1"  # the seeded accounts' password
ZONES = ("Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC")
OPEN = "('applied', 'interviewing', 'offer')"
CONTACTS_PER_SEEKER = 40
PATHS_PER_SESSION = 5

# The reference pages exist only in the bench's URLconf (bench/urls.py, bench/settings.py).
BARE_PATH = "/bench/bare/"
LAYOUT_PATH = "/bench/layout/"
# Reference pages first, then the product's main pages, each held to a cost relative to "bare".
REFERENCE_PAGES = ("bare", "layout")
MAIN_PAGES = (
    "dashboard",
    "applications",
    "board",
    "timeline",
    "composer",
    "contacts",
    "agenda",
    "search",
    "insights",
    "coach dashboard",
)
PAGES = (*REFERENCE_PAGES, "reminder settings", *MAIN_PAGES)
# A word the seeded applications, contacts and letters all contain.
SEARCH_WORDS = "engineer"


ORGS = [
    "Acme Analytics", "Northwind Health", "Globex Logistics", "Initech Finance", "Umbrella Bio",
    "Stark Energy", "Wayne Mobility", "Hooli Cloud", "Vandelay Imports", "Soylent Foods",
    "Tyrell Robotics", "Cyberdyne Systems", "Aperture Labs", "Massive Dynamic", "Oscorp Materials",
    "Wonka Confections", "Gringotts Payments", "Monarch Media", "Pied Piper", "Blue Sun Retail",
]  # fmt: skip
POSITIONS = [
    "Data Engineer", "Backend Developer", "Platform Engineer", "Product Analyst",
    "Site Reliability Engineer", "Machine Learning Engineer", "Engineering Manager",
    "Frontend Developer", "Security Engineer", "Solutions Architect", "QA Engineer",
    "Data Scientist",
]  # fmt: skip
FIRST = ["Alex", "Sam", "Maria", "Chen", "Priya", "Jonas", "Fatima", "Luca", "Aiko", "Omar",
         "Grace", "Mateo", "Ines", "Tom", "Zara", "Nikolai", "Amara", "Hugo", "Leila",
         "Ben"]  # fmt: skip
LAST = ["Martin", "Nguyen", "Kowalski", "Okafor", "Schmidt", "Rossi", "Tanaka", "Haddad",
        "Dubois", "Silva", "Novak", "Jensen", "Moreau", "Patel", "Garcia", "Berg", "Costa",
        "Fischer", "Ali", "Keller"]  # fmt: skip
ROLES = ["Engineering Manager", "Recruiter", "Staff Engineer", "Head of Data", "CTO",
         "Product Manager", "Team Lead", "HR Business Partner"]  # fmt: skip
CARES = [
    "Hiring two more engineers for the data team this quarter",
    "Their migration to a new stream processing framework",
    "Runs marathons; training for Berlin",
    "Customer churn in the mid-market segment",
    "A podcast on distributed systems they recommended",
    "Good coffee places near the office",
    "Speaking at a community meetup next month",
    "Growing the platform team and its on-call load",
]
NOTES = (
    "Found through a former colleague. The team works on the ingestion pipeline and wants "
    "someone who has run batch and streaming side by side. Salary band discussed on the first "
    "call; remote two days a week. Follow up with the hiring manager after each round."
)
PARTS = {
    "appreciation": "Thank you for taking the time to talk with me about the role and the team.",
    "still_interested": "Our conversation made me even more interested in joining you.",
    "great_fit": "My work on streaming pipelines matches what you described for next year.",
    "availability": "I am available for another conversation any day next week.",
}
BODY = "\n\n".join(["Dear {name},", *PARTS.values(), "Best regards,\nA. Candidate"]) + (
    "\n\nP.S. " + NOTES
)


def _insert(model, columns: dict, source: str, params: dict) -> int:
    sql, defaults = insert_select(model, columns, source)
    return execute(sql, {**params, **defaults})


def _next_id(model) -> str:
    return f"nextval(pg_get_serial_sequence('{model._meta.db_table}', 'id'))"


def _series(lo: str, hi: str, extra: str = "") -> str:
    return f"(SELECT g{extra} FROM generate_series(({lo})::bigint, ({hi})::bigint) AS g) AS s"  # noqa: S608


def seed(args, password_hash: str) -> None:
    """Fill the database."""
    from allauth.account.models import EmailAddress

    from followup.accounts.models import User
    from followup.applications.models import (
        Application,
        ApplicationEvent,
        FollowUp,
    )
    from followup.coaching.models import Coaching
    from followup.contacts.models import Contact
    from followup.interviews.models import Interview, Interviewer
    from followup.letters.models import Gift, Letter
    from followup.reminders.models import Reminder

    n, a, c, k = args.users, args.apps, args.coaches, CONTACTS_PER_SEEKER
    params = {
        "n": n,
        "apps": a,
        "coaches": c,
        "clients": args.clients,
        "k": k,
        "sweep": args.sweep_users,
        "first_sweep": n + c + 1,
        "hash": password_hash,
        "zones": list(ZONES),
        "nzones": len(ZONES),
        "orgs": ORGS,
        "positions": POSITIONS,
        "first": FIRST,
        "last": LAST,
        "roles": ROLES,
        "cares": CARES,
        "notes": NOTES,
        "body": BODY,
        **PARTS,
    }
    started = time.perf_counter()
    steps = []

    def step(label: str, model, columns: dict, source: str) -> None:
        rows = _insert(model, columns, source, params)
        steps.append((label, rows))
        log(f"  {label:<44} {rows:>8,} rows  ({time.perf_counter() - started:5.1f}s)")

    name = "(%(first)s::text[])[1 + g %% 20] || ' ' || (%(last)s::text[])[1 + (g * 7) %% 20]"
    person = {
        "id": "g",
        "name": name,
        "time_zone": "(%(zones)s::text[])[1 + g %% %(nzones)s]",
        "date_joined": "now() - interval '200 days'",
    }
    step(
        "job seekers (real PBKDF2 password)",
        User,
        {**person, "email": "'seeker' || g || '@example.com'", "password": "%(hash)s"},
        _series("1", "%(n)s"),
    )
    step(
        "coaches (real PBKDF2 password)",
        User,
        {
            **person,
            "email": "'coach' || (g - %(n)s) || '@example.com'",
            "password": "%(hash)s",
            "is_coach": "true",
        },
        _series("%(n)s + 1", "%(n)s + %(coaches)s"),
    )
    step(
        "people with due follow-ups (for the sweep)",
        User,
        {**person, "email": "'due' || g || '@example.com'", "password": "'!'"},
        _series("%(first_sweep)s", "%(first_sweep)s + %(sweep)s - 1"),
    )
    step(
        "verified email addresses (seekers, coaches)",
        EmailAddress,
        {
            "id": "u.id",
            "user_id": "u.id",
            "email": "u.email",
            "verified": "true",
            "primary": "true",
        },
        "accounts_user u WHERE u.id < %(first_sweep)s",
    )
    step(
        "contacts",
        Contact,
        {
            "id": "g",
            "owner_id": "(g - 1) / %(k)s + 1",
            "name": name,
            "role": "(%(roles)s::text[])[1 + g %% 8]",
            "organisation": "(%(orgs)s::text[])[1 + (g / 3) %% 20]",
            "email": "'contact' || g || '@example.org'",
            "profile_url": "'https://profiles.example.org/' || g",
            "created_at": "now() - interval '150 days'",
            "updated_at": "now() - interval '150 days'",
        },
        _series("1", "%(n)s * %(k)s"),
    )
    # A seeker's applications spread over 150 days; by their place b (0..49) in that list:
    # 40% applied, 20% interviewing, 6% offer, 4% hired, 20% eliminated, 10% withdrawn.
    step(
        "applications",
        Application,
        {
            "id": "g",
            "owner_id": "(g - 1) / %(apps)s + 1",
            "organisation": "(%(orgs)s::text[])[1 + g %% 20] || ' ' || (g %% 89)",
            "position": "(%(positions)s::text[])[1 + (g * 7) %% 12]",
            "posting_url": "'https://jobs.example.com/postings/' || g",
            "found_via": "(ARRAY['LinkedIn', 'Referral', 'Company site', 'Job board'])[1 + g %% 4]",
            "status": """CASE WHEN b < 20 THEN 'applied' WHEN b < 30 THEN 'interviewing'
                WHEN b < 33 THEN 'offer' WHEN b < 35 THEN 'hired' WHEN b < 45 THEN 'eliminated'
                ELSE 'withdrawn' END""",
            "decision_date": "CASE WHEN g %% 4 = 0 THEN current_date + (g %% 40)::int - 10 END",
            "notes": "%(notes)s",
            "created_at": "now() - (i * 3 + 2) * interval '1 day'",
            "applied_on": "(now() - (i * 3 + 2) * interval '1 day')::date",
            "updated_at": "now() - (i * 2) * interval '1 day' - (g %% 24) * interval '1 hour'",
        },
        _series(
            "1",
            "%(n)s * %(apps)s",
            ", (g - 1) %% %(apps)s AS i, ((g - 1) %% %(apps)s) * 50 / %(apps)s AS b",
        ),
    )
    step(
        "applications of the sweep's people",
        Application,
        {
            "id": "g",
            "owner_id": "%(first_sweep)s + g - %(n)s * %(apps)s - 1",
            "organisation": "(%(orgs)s::text[])[1 + g %% 20]",
            "position": "(%(positions)s::text[])[1 + g %% 12]",
            "created_at": "now() - interval '20 days'",
            "updated_at": "now() - interval '20 days'",
        },
        _series("%(n)s * %(apps)s + 1", "%(n)s * %(apps)s + %(sweep)s"),
    )
    seekers_apps = "applications_application a WHERE a.owner_id <= %(n)s"
    step(
        "timeline: application recorded",
        ApplicationEvent,
        {
            "id": _next_id(ApplicationEvent),
            "application_id": "a.id",
            "kind": "'created'",
            "to_status": "'applied'",
            "occurred_at": "a.created_at",
        },
        seekers_apps,
    )
    step(
        "timeline: status changes",
        ApplicationEvent,
        {
            "id": _next_id(ApplicationEvent),
            "application_id": "a.id",
            "kind": "'status'",
            "from_status": "'applied'",
            "to_status": "a.status",
            "text": "'Moved on after the recruiter call.'",
            "occurred_at": "a.created_at + interval '20 days'",
        },
        seekers_apps + " AND a.status <> 'applied'",
    )
    step(
        "timeline: employer replies",
        ApplicationEvent,
        {
            "id": _next_id(ApplicationEvent),
            "application_id": "a.id",
            "kind": "'reply'",
            "text": "'Thanks for applying: the team will review your profile this week.'",
            "occurred_at": "LEAST(a.created_at + interval '10 days', now() - interval '1 hour')",
        },
        seekers_apps + " AND a.id %% 3 = 0",
    )
    # Rounds: interviewing 1-2 (a third of them with the last round in the next 9 days), offer
    # and hired 3, eliminated 1-2, withdrawn 1. Past rounds 3 to ~20 days ago.
    step(
        "interviews",
        Interview,
        {
            "id": _next_id(Interview),
            "application_id": "app",
            "scheduled_at": """CASE WHEN status = 'interviewing' AND r = rounds AND app %% 3 = 0
                THEN date_trunc('hour', now()) + ((app %% 9) + 1) * interval '1 day'
                ELSE date_trunc('hour', now()) - ((rounds - r) * 5 + 3 + app %% 4)
                    * interval '1 day' END""",
            "kind": "(ARRAY['phone', 'video', 'on_site', 'panel', 'technical'])"
            "[1 + (app + r) %% 5]",
            "round": "r",
            "location": "'https://meet.example.com/' || app || '-' || r",
            "notes": "'Asked about batch versus streaming and on-call. ' || %(notes)s",
            "created_at": "now() - interval '70 days'",
        },
        """(SELECT a.id AS app, a.status, rounds, r FROM applications_application a
            CROSS JOIN LATERAL (SELECT CASE a.status WHEN 'interviewing' THEN 1 + a.id %% 2
                WHEN 'offer' THEN 3 WHEN 'hired' THEN 3 WHEN 'eliminated' THEN 1 + a.id %% 2
                WHEN 'withdrawn' THEN 1 ELSE 0 END AS rounds) AS n
            CROSS JOIN LATERAL generate_series(1, n.rounds) AS r
            WHERE a.owner_id <= %(n)s) AS s""",
    )
    step(
        "interview panels (1-2 interviewers each)",
        Interviewer,
        {
            "id": _next_id(Interviewer),
            "interview_id": "interview",
            "contact_id": "(owner - 1) * %(k)s + 1 + (interview + seat) %% %(k)s",
            "cares_about": "(%(cares)s::text[])[1 + (interview + seat) %% 8]",
        },
        """(SELECT iv.id AS interview, a.owner_id AS owner, seat FROM applications_interview iv
            JOIN applications_application a ON a.id = iv.application_id
            CROSS JOIN LATERAL generate_series(1, 1 + iv.id %% 2) AS seat) AS s""",
    )

    def past_seats(extra_columns: str = "", extra_join: str = "") -> str:
        """Each interviewer of a past interview, with its application (and `extra_join`)."""
        return f"""(SELECT p.id AS seat, p.contact_id AS contact, iv.id AS interview,
                iv.scheduled_at AS at, a.id AS app, a.owner_id AS owner,
                a.status IN {OPEN} AS open{extra_columns}
            FROM applications_interviewer p
            JOIN applications_interview iv ON iv.id = p.interview_id
            JOIN applications_application a ON a.id = iv.application_id{extra_join}
            WHERE iv.scheduled_at < now()) AS s"""  # noqa: S608 - this file's constants

    letter = {
        "id": _next_id(Letter),
        "application_id": "app",
        "subject": "'Thank you for the interview'",
        "appreciation": "%(appreciation)s",
        "still_interested": "%(still_interested)s",
        "great_fit": "%(great_fit)s",
        "availability": "%(availability)s",
        "body": "%(body)s",
    }
    # A sixth of the thank-yous for last week's interviews are still drafts (follow-up pending).
    step(
        "thank-you letters (one per interviewer)",
        Letter,
        {
            **letter,
            "contact_id": "contact",
            "interview_id": "interview",
            "kind": "'thank_you'",
            "sent_on": """CASE WHEN open AND seat %% 6 = 0 AND at > now() - interval '7 days'
                THEN NULL ELSE (at + interval '1 day')::date END""",
            "created_at": "at + interval '3 hours'",
            "updated_at": "at + interval '1 day'",
        },
        past_seats(),
    )
    step(
        "follow-up letters",
        Letter,
        {
            **letter,
            "application_id": "a.id",
            "contact_id": "(a.owner_id - 1) * %(k)s + 1 + a.id %% %(k)s",
            "kind": "'follow_up'",
            "subject": "'Following up on my application'",
            "sent_on": "(now() - interval '30 days')::date",
            "created_at": "now() - interval '31 days'",
            "updated_at": "now() - interval '30 days'",
        },
        seekers_apps + f" AND a.status IN {OPEN} AND a.id %% 2 = 0"
        " AND a.created_at < now() - interval '40 days'",
    )
    step(
        "gifts (a third of the letters)",
        Gift,
        {
            "id": _next_id(Gift),
            "letter_id": "l.id",
            "kind": "'link'",
            "title": "'A talk on running streaming and batch together'",
            "url": "'https://talks.example.org/' || l.id",
            "inspiration": "'They said the team is moving to streaming.'",
            "created_at": "l.created_at",
        },
        "letters_letter l WHERE l.id %% 3 = 0",
    )
    # One digest already sent to each seeker: the follow-ups due so far were in it.
    step(
        "reminders already sent (one per seeker)",
        Reminder,
        {
            "id": "g",
            "recipient_id": "g",
            "kind": "'digest'",
            "local_date": "current_date - 1",
            "slot": "'morning'",
            "status": "'sent'",
            "attempts": "1",
            "message_id": "'<digest.' || g || '.bench@followup.localhost>'",
            "next_attempt_at": "now() - interval '1 day'",
            "created_at": "now() - interval '1 day'",
            "sent_at": "now() - interval '1 day'",
        },
        _series("1", "%(n)s"),
    )
    follow_up = {"id": _next_id(FollowUp), "created_at": "now() - interval '30 days'"}
    step(
        "follow-ups: thank-yous after past interviews",
        FollowUp,
        {
            **follow_up,
            "application_id": "app",
            "kind": "'thank_you'",
            "contact_id": "contact",
            "interview_id": "interview",
            "step": "0",
            "due_on": "(at + interval '1 day')::date",
            "status": """CASE WHEN sent_on IS NOT NULL THEN 'done' WHEN open THEN 'pending'
                ELSE 'cancelled' END""",
            "letter_id": "CASE WHEN sent_on IS NOT NULL THEN letter END",
            "completed_at": "sent_on + time '10:00'",
            "remind_at": "CASE WHEN sent_on IS NULL AND open THEN at + interval '18 hours' END",
            "reminder_id": "CASE WHEN sent_on IS NULL AND open THEN owner END",
        },
        past_seats(
            ", l.id AS letter, l.sent_on",
            """
            LEFT JOIN letters_letter l
                ON l.interview_id = iv.id AND l.contact_id = p.contact_id""",
        ),
    )
    step(
        "follow-ups: thank-yous for coming interviews",
        FollowUp,
        {
            **follow_up,
            "application_id": "iv.application_id",
            "kind": "'thank_you'",
            "contact_id": "p.contact_id",
            "interview_id": "iv.id",
            "step": "0",
            "due_on": "(iv.scheduled_at + interval '1 day')::date",
            "remind_at": "iv.scheduled_at + interval '6 hours'",
        },
        """applications_interviewer p JOIN applications_interview iv ON iv.id = p.interview_id
        WHERE iv.scheduled_at >= now()""",
    )
    step(
        "follow-ups: done cadence steps",
        FollowUp,
        {
            **follow_up,
            "application_id": "a.id",
            "kind": "'follow_up'",
            "step": "1",
            "due_on": "(now() - interval '30 days')::date",
            "status": "'done'",
            "completed_at": "now() - interval '30 days'",
        },
        seekers_apps + " AND a.created_at < now() - interval '40 days'",
    )
    # The plan: one pending cadence step per open application without a pending thank-you,
    # due from 4 days ago to 19 days ahead. What is due by today was in the sent digest.
    step(
        "follow-ups: the plan (pending, due -4..+19 days)",
        FollowUp,
        {
            **follow_up,
            "application_id": "app",
            "kind": "'follow_up'",
            "contact_id": "CASE WHEN app %% 2 = 0 THEN (owner - 1) * %(k)s + 1 + app %% %(k)s END",
            "step": "1 + app %% 3",
            "due_on": "due",
            "remind_at": """CASE WHEN due > current_date THEN due + time '08:00'
                ELSE now() - interval '20 hours' END""",
            "reminder_id": "CASE WHEN due <= current_date THEN owner END",
        },
        f"""(SELECT a.id AS app, a.owner_id AS owner,
                current_date + ((a.id * 7) %% 24 - 4)::int AS due
            FROM applications_application a WHERE a.owner_id <= %(n)s AND a.status IN {OPEN}
            AND NOT EXISTS (SELECT 1 FROM applications_followup f WHERE f.application_id = a.id
                AND f.status = 'pending')) AS s""",  # noqa: S608 - this file's constants
    )
    step(
        "follow-ups: cancelled when closed",
        FollowUp,
        {
            **follow_up,
            "application_id": "a.id",
            "kind": "'follow_up'",
            "step": "2",
            "due_on": "(now() - interval '5 days')::date",
            "status": "'cancelled'",
            "completed_at": "now() - interval '10 days'",
        },
        seekers_apps + f" AND a.status NOT IN {OPEN}",
    )
    step(
        "follow-ups due now (the sweep's people, 2 each)",
        FollowUp,
        {
            **follow_up,
            "application_id": "a.id",
            "kind": "'follow_up'",
            "step": "n",
            "due_on": "current_date - n",
            "remind_at": "now() - interval '1 minute' - (a.id %% 3600) * interval '1 second'",
        },
        "applications_application a CROSS JOIN generate_series(1, 2) AS n"
        " WHERE a.owner_id >= %(first_sweep)s",
    )
    step(
        "coachings (active, view level)",
        Coaching,
        {
            "id": "g",
            "coach_id": "%(n)s + (g - 1) / %(clients)s + 1",
            "client_id": "(g - 1) %% %(n)s + 1",
            "invited_by": "'client'",
            "invited_email": "'coach' || ((g - 1) / %(clients)s + 1) || '@example.com'",
            "level": "'view'",
            "status": "'active'",
            "created_at": "now() - interval '40 days'",
            "accepted_at": "now() - interval '39 days'",
        },
        _series("1", "%(coaches)s * %(clients)s"),
    )
    step(
        "coaching invitations waiting (2 per coach)",
        Coaching,
        {
            "id": "%(coaches)s * %(clients)s + g",
            "coach_id": "%(n)s + (g + 1) / 2",
            "invited_by": "'coach'",
            "invited_email": "'prospect' || g || '@example.org'",
            "status": "'invited'",
            "created_at": "now() - interval '2 days'",
        },
        _series("1", "2 * %(coaches)s"),
    )
    reset_sequences(
        *(
            model._meta.db_table
            for model in (User, EmailAddress, Contact, Application, Reminder, Coaching)
        )
    )
    log("  vacuum analyze")
    execute("VACUUM ANALYZE")
    log(f"  seeded in {time.perf_counter() - started:.1f}s")


def populate(args, described: str) -> dict:
    """Migrate and seed the bench's database (`described` says with what) unless `--reuse`d;
    the rows of each table either way. Called once Django is set up."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    if not args.reuse:
        log("migrating")
        call_command("migrate", verbosity=0)
        log(f"seeding {described}")
        seed(args, make_password(PASSWORD))
    return table_counts()


def table_counts() -> dict:
    from followup.accounts.models import User
    from followup.applications.models import (
        Application,
        ApplicationEvent,
        FollowUp,
    )
    from followup.coaching.models import Coaching
    from followup.contacts.models import Contact
    from followup.interviews.models import Interview, Interviewer
    from followup.letters.models import Gift, Letter
    from followup.reminders.models import Reminder

    counts = {}
    for model in (
        User,
        Contact,
        Application,
        ApplicationEvent,
        Interview,
        Interviewer,
        Letter,
        Gift,
        FollowUp,
        Reminder,
        Coaching,
    ):
        counts[model._meta.db_table] = model.objects.count()
    return counts


def session_pages(args) -> dict:
    """For each seeker and coach who logs in: their email and the pages each of them asks for."""
    seekers = min(args.users, max(args.concurrency))
    coaches = args.coaches
    timeline = dict(
        fetch_all(
            """SELECT owner_id, array_agg(id ORDER BY n DESC, id) FROM (
                 SELECT a.owner_id, a.id, count(iv.id) AS n FROM applications_application a
                 JOIN applications_interview iv ON iv.application_id = a.id
                 WHERE a.owner_id <= %s GROUP BY a.owner_id, a.id) AS x GROUP BY owner_id""",
            [seekers],
        )
    )
    composer = dict(
        fetch_all(
            """SELECT owner_id, array_agg(id ORDER BY sent, id DESC) FROM (
                 SELECT a.owner_id, l.id, l.sent_on IS NOT NULL AS sent FROM letters_letter l
                 JOIN applications_application a ON a.id = l.application_id
                 WHERE a.owner_id <= %s AND l.kind = 'thank_you') AS x GROUP BY owner_id""",
            [seekers],
        )
    )
    people = []
    for u in range(1, seekers + 1):
        people.append(
            {
                "email": f"seeker{u}@example.com",
                "role": "seeker",
                "pages": {
                    "bare": [BARE_PATH],
                    "layout": [LAYOUT_PATH],
                    "reminder settings": ["/reminders/settings/"],
                    "dashboard": ["/"],
                    "applications": ["/applications/"],
                    "board": ["/applications/board/"],
                    "contacts": ["/contacts/"],
                    "agenda": ["/applications/agenda/"],
                    "search": [f"/search/?q={SEARCH_WORDS}"],
                    "insights": ["/insights/"],
                    "timeline": [
                        f"/applications/{pk}/" for pk in timeline.get(u, [])[:PATHS_PER_SESSION]
                    ],
                    "composer": [
                        f"/letters/{pk}/" for pk in composer.get(u, [])[:PATHS_PER_SESSION]
                    ],
                },
            }
        )
    for k in range(1, coaches + 1):
        people.append(
            {
                "email": f"coach{k}@example.com",
                "role": "coach",
                "pages": {
                    "bare": [BARE_PATH],
                    "layout": [LAYOUT_PATH],
                    "coach dashboard": ["/coaching/clients/"],
                },
            }
        )
    return people
