"""Every page people use passes axe-core with no serious or critical violation, and fits the
width of a phone and of a tablet either way up.

axe is vendored (`tests/vendor/axe-core/`, never published with the app) and injected as an
inline script, which the Content-Security-Policy forbids: the pages are checked in their own
browser context that bypasses the policy, used for nothing else. The other browser tests keep
the policy on.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from followup.applications import services
from followup.calendars.services import calendar_feed_renew
from followup.coaching.models import Coaching, CoachingStatus, CoachNote, Level
from followup.coaching.services import review
from followup.coaching.services.consent import coaching_end
from followup.coaching.services.next_steps import next_step_done, next_step_set
from followup.exports.models import RestoreJob
from followup.imports.models import ImportJob
from followup.letters.models import Gift, GiftKind
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import ARTIFACTS, label, watch
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    LetterFactory,
    import_job_with_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A test tool, kept out of static/ so it is never published with the app.
AXE = Path(settings.BASE_DIR, "tests", "vendor", "axe-core", "axe.min.js")
BLOCKING = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW = [PHONE, {"width": 768, "height": 1024}, {"width": 1024, "height": 768}]

# What is wider than the screen: the page itself (the whole page would scroll sideways, as it
# did when the menu did not fit a tablet), and any table that scrolls sideways in its box,
# unless that table is meant to (marked data-scrolls-sideways: a spreadsheet's rows as uploaded).
WIDER_THAN_THE_SCREEN = """() => {
  const root = document.documentElement;
  const wide = root.scrollWidth > root.clientWidth ? [`the page, ${root.scrollWidth}px`] : [];
  for (const box of document.querySelectorAll(".table-responsive:not([data-scrolls-sideways])")) {
    if (box.scrollWidth > box.clientWidth) {
      const table = box.querySelector("table");
      const what = table && table.caption ? table.caption.textContent.trim() : box.className;
      wide.push(`a table (${what}), ${box.scrollWidth}px in ${box.clientWidth}px`);
    }
  }
  return wide;
}"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


class Axe:
    """A browser context for the axe pass only: the policy is bypassed so axe can be injected."""

    def __init__(self, browser, live_server, client):
        self.live_server, self.client = live_server, client
        # Reduced motion: Bootstrap's fades would otherwise be caught half-transparent.
        self.context = browser.new_context(
            bypass_csp=True, reduced_motion="reduce", viewport=DESKTOP
        )
        self.page = watch(self.context.new_page())
        self.source = AXE.read_text()
        self.found: dict[str, list[dict]] = {}
        self.too_wide: dict[str, list[str]] = {}

    def sign_in(self, user) -> None:
        self.context.clear_cookies()
        if user is None:
            return
        self.client.force_login(user)
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.live_server.url}]
        )

    def visit(self, path: str, name: str | None = None) -> None:
        response = self.page.goto(self.live_server.url + path)
        assert response.ok, f"{path}: {response.status}"
        self.check(name or path)
        self.check_narrow_widths(name or path)

    def check_narrow_widths(self, name: str) -> None:
        """Lay the page out at each narrow width and keep what is wider than the screen."""
        size = self.page.viewport_size
        for narrow in NARROW:
            self.page.set_viewport_size(narrow)
            wide = self.page.evaluate(WIDER_THAN_THE_SCREEN)
            if wide:
                width = narrow["width"]
                self.too_wide[f"{name} at {width}px"] = wide
                ARTIFACTS.mkdir(exist_ok=True)
                slug = "".join(c if c.isalnum() else "_" for c in name).strip("_")
                shot = ARTIFACTS / f"narrow-{width}-{slug}.png"
                self.page.screenshot(path=str(shot), full_page=True)
        self.page.set_viewport_size(size)

    def check(self, name: str) -> None:
        """Run axe on the page as it is now, and keep what blocks people."""
        self.page.add_script_tag(content=self.source)
        violations = [v for v in self.page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
        if violations:
            self.found[name] = violations
            ARTIFACTS.mkdir(exist_ok=True)
            slug = "".join(c if c.isalnum() else "_" for c in name).strip("_")
            self.page.screenshot(path=str(ARTIFACTS / f"axe-{slug}.png"), full_page=True)

    def assert_clean(self) -> None:
        report = []
        if self.found:
            report.append("axe found serious or critical violations:\n" + self.report())
        if self.too_wide:
            report.append(
                "wider than the screen:\n"
                + "\n".join(f"{name}: {', '.join(wide)}" for name, wide in self.too_wide.items())
            )
        if report:
            pytest.fail("\n".join(report), pytrace=False)

    def report(self) -> str:
        return "\n".join(
            f"{name}: {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
            for name, violations in self.found.items()
            for v in violations
        )


@pytest.fixture
def axe(browser, live_server, client):
    checker = Axe(browser, live_server, client)
    yield checker
    checker.context.close()


@pytest.fixture
def letter(owner):
    """A thank-you letter after an interview, with a gift, and a coach's comment on it."""
    application = ApplicationFactory(owner=owner, organisation="Harbour Analytics")
    ada = ContactFactory(owner=owner, name="Ada Park")
    interview = services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=2),
        interviewers=[(ada, "Trail running; she is training for the Lisbon marathon")],
        today=owner.today(),
        notes="The streaming roadmap, and their flaky data tests.",
    )
    letter = LetterFactory(
        application=application,
        contact=ada,
        interview=interview,
        appreciation="Thank you for your time today.",
    )
    Gift.objects.create(
        letter=letter,
        kind=GiftKind.LINK,
        title="Trail guide",
        url="https://trails.example.org/lisbon",
        inspiration="you are training for the Lisbon marathon",
    )
    return letter


@pytest.fixture
def coach(owner, letter):
    """A coach who may comment, asked to review the letter, who has commented."""
    coach = make_coach(email="comment.coach@example.com", name="Cole Comment")
    coaching_between(coach, owner, Level.COMMENT)
    review.review_request(letter=letter, requested_by=owner)
    review.comment_add(letter=letter, author=coach, part="", text="Name the marathon.")
    done = review.comment_add(letter=letter, author=coach, part="", text="Shorter subject?")
    review.comment_resolve(comment=done, user=owner)
    return coach


@pytest.fixture
def import_jobs(owner, settings, tmp_path):
    """An upload waiting for its columns, after a check that found a problem; one importing;
    one refused with a row's error."""
    settings.MEDIA_ROOT = tmp_path
    waiting = import_job_with_file(
        owner,
        b"Company,Position,Status,Applied,Link,Location,Contact phone,Notes\n"
        b"Riverbend Community Trust,Data & Impact Analyst (six-month contract),on hold,"
        b"2026-09-30,https://careers.riverbend.example/jobs/data-impact-analyst-6m,"
        b'Bristol,"+44 117 496 0000, ext. 12","Referred by Ada, who ran the panel"\n',
    )
    waiting.checked_ready = 0
    waiting.errors = [{"row": 2, "column": "Status", "message": "“on hold” is not a status."}]
    waiting.save()
    running = ImportJob.objects.create(
        owner=owner, kind="applications", file_name="big.csv", total=1000, done=400,
        status="running",
    )  # fmt: skip
    failed = ImportJob.objects.create(
        owner=owner, kind="contacts", file_name="people.csv", total=3, status="failed",
        errors=[{"row": 3, "column": "Email", "message": "Enter a valid email address."}],
    )  # fmt: skip
    return [waiting, running, failed]


@pytest.fixture
def restore_jobs(owner):
    """A restore writing its rows, one done (its JSON without the gift files), one refused."""
    done = RestoreJob.objects.create(
        owner=owner, file_name="followup-export.json", status="done", total=8001, done=8001,
        counts={"applications": 500, "contacts": 1001, "letters": 1000, "gifts": 1000},
        files_missing=500,
    )  # fmt: skip
    refused = RestoreJob.objects.create(
        owner=owner, file_name="edited.zip", status="failed",
        errors=["applications[3]: “status”: Value 'promoted' is not a valid choice."] * 10,
    )  # fmt: skip
    writing = RestoreJob.objects.create(
        owner=owner, file_name="followup-export.zip", status="writing", total=8001, done=4000
    )
    return [writing, done, refused]


@pytest.fixture
def pipeline(owner):
    """One application in each status, so every status badge is on the list, with names as
    long as real ones, and letters to them: what the lists must fit on a phone."""
    for status, position, organisation in [
        ("applied", "Business Intelligence Developer", "Copperleaf Foods"),
        ("interviewing", "Senior Data Analyst", "Harbourline Logistics"),
        ("offer", "Analytics Consultant", "Fenwick Analytics"),
        ("hired", "Data & Impact Analyst (six-month contract)", "Riverbend Community Trust"),
        ("eliminated", "Customer Insight Analyst", "Oakridge Retail Group"),
        ("withdrawn", "Learning Analytics Lead", "Mosaic Learning"),
    ]:
        application = ApplicationFactory(
            owner=owner, status=status, position=position, organisation=organisation,
            location="Bristol", work_mode="hybrid",
        )  # fmt: skip
        LetterFactory(
            application=application,
            contact__name="Priya Natarajan",
            subject=f"Thank you for the interview: {position}",
            sent_on=owner.today() - timedelta(days=3),
        )


def test_visitor_pages(axe):
    axe.sign_in(None)
    for name in ["home", "account_login", "account_signup", "account_reset_password"]:
        axe.visit(reverse(name))
    axe.assert_clean()


def test_job_seeker_pages(axe, owner, letter, coach, pipeline, import_jobs, restore_jobs):
    application, contact = letter.application, letter.contact
    axe.sign_in(owner)
    for path in [
        reverse("home"),
        reverse("applications:agenda"),
        reverse("applications:list"),
        reverse("applications:board"),
        application.get_absolute_url(),
        reverse("applications:create"),
        reverse("interviews:detail", args=[letter.interview.pk]),
        reverse("interviews:create", args=[application.pk]),
        reverse("contacts:list"),
        contact.get_absolute_url(),
        reverse("contacts:create"),
        reverse("letters:list"),
        reverse("letters:list") + "?q=thank",
        letter.get_absolute_url(),
        reverse("search:results"),
        reverse("search:results") + "?q=thank",
        reverse("search:results") + "?q=zanzibar",
        reverse("letters:new") + f"?application={application.pk}",
        reverse("reminders:preferences"),
        reverse("coaching:settings"),
        reverse("accounts:profile"),
        reverse("accounts:delete"),
        reverse("exports:index"),
        reverse("insights:mine"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("imports:new"),
        *[job.get_absolute_url() for job in import_jobs],
        *[job.get_absolute_url() for job in restore_jobs],
    ]:
        axe.visit(path)

    # Settings once the calendar link exists: its address, and the buttons beside it.
    calendar_feed_renew(owner=owner)
    axe.visit(reverse("accounts:profile"), "settings with a calendar link")

    # The account menu, open.
    axe.visit(reverse("home"))
    axe.page.get_by_role("button", name=owner.display_name).click()
    axe.page.get_by_role("link", name="Two-factor authentication").wait_for()
    axe.check("the account menu")

    # A dashboard row marked done: its confirmation, with Undo.
    axe.visit(reverse("home"))
    axe.page.locator(".follow-up-actions").first.get_by_role("button", name="Done").click()
    axe.page.locator("[data-settled]").get_by_role("button", name="Undo").wait_for()
    axe.check("a row marked done, with its Undo")

    # The composer on a phone, and the menu folded into the toggler there.
    axe.page.set_viewport_size(PHONE)
    axe.visit(letter.get_absolute_url(), "the composer on a phone")
    axe.page.get_by_role("button", name="Toggle navigation").click()
    axe.page.get_by_role("link", name="Letters").wait_for()
    axe.check("the phone menu, open")
    axe.page.set_viewport_size(DESKTOP)
    axe.assert_clean()


def test_two_factor_pages(axe, owner, password):
    axe.sign_in(owner)
    # Turning two-factor on asks for the password again, then shows the QR code and secret.
    axe.visit(reverse("mfa_activate_totp"), "reauthenticate")
    axe.page.get_by_label(label("Password")).fill(password)
    axe.page.get_by_role("button", name="Confirm").click()
    axe.page.wait_for_url(f"**{reverse('mfa_activate_totp')}")
    axe.check("activate TOTP")

    TOTP.activate(owner, "JBSWY3DPEHPK3PXP")
    RecoveryCodes.activate(owner)
    for name in ["mfa_index", "mfa_view_recovery_codes", "mfa_deactivate_totp"]:
        axe.visit(reverse(name))
    axe.assert_clean()


def test_coach_pages(axe, owner, letter, coach, pipeline):
    # The coach's own panel filled: a late step, a done one, a note.
    next_step_set(coach=coach, client=owner, text="Call Ada", due_on=owner.today() - timedelta(1))
    next_step_done(step=next_step_set(coach=coach, client=owner, text="Update the CV"))
    coaching = Coaching.objects.get(coach=coach, client=owner, status=CoachingStatus.ACTIVE)
    CoachNote.objects.create(coaching=coaching, text="Prepares well.")
    axe.sign_in(coach)
    for path in [
        reverse("coaching:end", args=[coaching.pk]),
        reverse("coaching:dashboard"),
        reverse("coaching:client", args=[owner.pk]),
        reverse("insights:client", args=[owner.pk]),
        reverse("insights:caseload"),
        reverse("coaching:client_board", args=[owner.pk]),
        letter.get_absolute_url(),
        reverse("applications:list"),
        reverse("search:results") + "?q=thank",
    ]:
        axe.visit(path)
    # The word to a former coach, on their dashboard and on a page not found.
    coaching_end(coaching=coaching, by=owner)
    axe.visit(reverse("coaching:dashboard"), "the coach dashboard after a revocation")
    axe.page.goto(axe.live_server.url + reverse("coaching:client", args=[owner.pk]))
    axe.check("a former client's page, not found")
    axe.assert_clean()


def test_job_seeker_pages_with_coaching(axe, owner, coach):
    """The dashboard with next steps, and the confirmation before revoking."""
    next_step_set(coach=coach, client=owner, text="Call Ada", due_on=owner.today() - timedelta(1))
    next_step_set(coach=coach, client=owner, text="Update the CV")
    coaching = Coaching.objects.get(coach=coach, client=owner, status=CoachingStatus.ACTIVE)
    axe.sign_in(owner)
    axe.visit(reverse("home"), "the dashboard with next steps")
    axe.visit(reverse("coaching:end", args=[coaching.pk]))
    axe.page.set_viewport_size(PHONE)
    axe.visit(reverse("home"), "the dashboard with next steps on a phone")
    axe.page.set_viewport_size(DESKTOP)
    axe.assert_clean()


def test_acting_for_a_client_pages(axe, owner, letter):
    """An edit-level coach's form for a client's new application, and the client's pages
    showing what the coach added."""
    coach = make_coach(email="edit.coach@example.com", name="Eddie Edit")
    coaching_between(coach, owner, Level.EDIT)
    added = services.application_create(
        owner=owner, by=coach, organisation="Tidewater", position="Analyst"
    )
    axe.sign_in(coach)
    axe.visit(reverse("coaching:client_application_create", args=[owner.pk]))
    axe.visit(added.get_absolute_url())
    axe.visit(reverse("coaching:client_board", args=[owner.pk]), "a client's board, added by you")
    axe.sign_in(owner)
    for path in [
        added.get_absolute_url(),
        reverse("applications:list"),
        reverse("applications:board"),
        reverse("home"),
        reverse("search:results") + "?q=tidewater",
    ]:
        axe.visit(path)
    axe.page.set_viewport_size(PHONE)
    axe.visit(reverse("applications:board"), "the board with a coach's card on a phone")
    axe.page.set_viewport_size(DESKTOP)
    axe.assert_clean()
