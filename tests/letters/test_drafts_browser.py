"""Drafts that last, in a real browser: what is typed is saved a moment later and survives leaving
the page; "Write it" twice opens one draft; two tabs on one draft end with a conflict that loses
nothing."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followup.applications import services
from followup.applications.models import FollowUp
from followup.letters.models import Letter
from tests.browser_steps import landed_on
from tests.conftest import label, screenshot, watch
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^\s*Saved \d\d:\d\d\s*$")
MINE = "Thank you for showing me the warehouse on Monday."
THEIRS = "Thank you for the tour of the data warehouse."


@pytest.fixture
def thank_you(owner) -> FollowUp:
    """Ada's thank-you, due tomorrow: on the dashboard, with no letter yet."""
    application = ApplicationFactory(owner=owner, organisation="Acme", position="Data Engineer")
    ada = ContactFactory(owner=owner, name="Ada Park")
    interview = services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=2),
        interviewers=[(ada, "Sailing")],
        today=owner.today(),
    )
    return FollowUp.objects.get(interview=interview)


def write_it_from_the_dashboard(page, live_server, *, wait_for_scripts: bool = True) -> str:
    """Press "Write it" on the dashboard; return the composer's address once it is there and,
    unless told not to, once its scripts have run."""
    page.goto(live_server.url + "/")
    page.locator("main li.list-group-item").filter(has_text="Thank-you letter to Ada").get_by_role(
        "button", name="Write it"
    ).click()
    heading = page.get_by_role("heading", name="Thank-you letter to Ada Park", level=1)
    if wait_for_scripts:
        landed_on(heading)
    else:
        heading.wait_for()
    return page.url


def appreciation(page):
    return page.locator("#letter-form").get_by_label(label("Appreciation"))


def type_and_wait_for_saved(page, text: str) -> None:
    appreciation(page).fill(text)
    expect(page.locator("#draft-status")).to_have_text(SAVED)


def test_autosave_survives_navigating_away_and_back(live_server, page, log_in, owner, thank_you):
    log_in(owner)
    composer_url = write_it_from_the_dashboard(page, live_server)

    type_and_wait_for_saved(page, MINE)
    left_without_asking = []
    page.on("dialog", lambda dialog: left_without_asking.append(dialog.type) or dialog.accept())
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("heading", name=re.compile("^Hello")).wait_for()
    assert left_without_asking == []  # everything was saved: no warning

    row = page.locator("main li.list-group-item").filter(has_text="Thank-you letter to Ada")
    expect(row).to_contain_text(re.compile(r"Draft in progress \(edited (just now|.* ago)\)"))
    row.get_by_role("link", name=re.compile("^Open the draft")).click()
    page.get_by_role("heading", name="Thank-you letter to Ada Park", level=1).wait_for()

    assert page.url == composer_url
    expect(appreciation(page)).to_have_value(MINE)
    assert Letter.objects.get().appreciation == MINE
    screenshot(page, "drafts-back-to-the-saved-draft")


def test_leaving_with_unsaved_text_asks_first(live_server, page, log_in, owner, thank_you):
    log_in(owner)
    # The page's timers wait for the test: the autosave cannot fire between typing and the
    # click, however slow the machine.
    page.clock.install()
    write_it_from_the_dashboard(page, live_server)
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    appreciation(page).fill(MINE)
    # Straight away, before the save: the browser asks, and the person stays.
    page.get_by_role("link", name="Dashboard").click()
    expect(appreciation(page)).to_have_value(MINE)
    assert dialogs == ["beforeunload"]
    # The save goes on, and then leaving asks nothing.
    page.clock.run_for(5000)
    expect(page.locator("#draft-status")).to_have_text(SAVED)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("heading", name=re.compile("^Hello")).wait_for()
    assert dialogs == ["beforeunload"]


def test_text_typed_while_the_page_loads_is_kept(live_server, page, log_in, owner, thank_you):
    """On a slow connection the composer can be typed in before its script has arrived: what was
    typed then is saved, and leaving before the save asks first."""
    log_in(owner)
    page.clock.install()
    held_scripts = []
    page.route(re.compile(r"/drafts[^/]*\.js$"), lambda route: held_scripts.append(route))
    write_it_from_the_dashboard(page, live_server, wait_for_scripts=False)
    appreciation(page).fill(MINE)
    assert len(held_scripts) == 1  # the script had not run when the text was typed
    held_scripts[0].continue_()
    page.wait_for_load_state("load")

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Dashboard").click()
    expect(appreciation(page)).to_have_value(MINE)
    assert dialogs == ["beforeunload"]
    page.clock.run_for(5000)
    expect(page.locator("#draft-status")).to_have_text(SAVED)
    assert Letter.objects.get().appreciation == MINE


def test_write_it_twice_opens_one_draft(live_server, page, log_in, owner, thank_you):
    log_in(owner)
    other_tab = watch(page.context.new_page())
    page.goto(live_server.url + "/")
    other_tab.goto(live_server.url + "/")

    # Both tabs show "Write it"; both press it.
    first = write_it_from_the_dashboard(page, live_server)
    other_tab.locator("main li.list-group-item").filter(
        has_text="Thank-you letter to Ada"
    ).get_by_role("button", name="Write it").click()
    other_tab.get_by_role("heading", name="Thank-you letter to Ada Park", level=1).wait_for()

    assert other_tab.url == first
    assert Letter.objects.count() == 1
    expect(other_tab.get_by_text("A draft to Ada Park was already started")).to_be_visible()
    # And the application's plan now says so instead of offering a second.
    other_tab.goto(live_server.url + thank_you.application.get_absolute_url())
    plan = other_tab.locator("section[aria-labelledby=plan-heading]")
    expect(plan).to_contain_text("Draft in progress (edited")
    assert plan.get_by_role("button", name="Write it").count() == 0
    assert [p for p in other_tab.problems if "Content Security Policy" in p] == []


def test_two_tabs_on_one_draft_end_with_a_conflict_and_nothing_lost(
    live_server, page, log_in, owner, thank_you
):
    log_in(owner)
    composer_url = write_it_from_the_dashboard(page, live_server)
    second = watch(page.context.new_page())
    second.goto(composer_url)

    type_and_wait_for_saved(page, THEIRS)
    appreciation(second).fill(MINE)

    conflict = second.get_by_test_id("draft-conflict")
    expect(conflict).to_contain_text(
        re.compile(
            r"This draft was changed in another window \(or by your coach\) at \d\d:\d\d\. "
            r"Your text is kept below; copy what you need, then reload\."
        )
    )
    expect(conflict.get_by_test_id("saved-version")).to_contain_text(THEIRS)
    expect(appreciation(second)).to_have_value(MINE)  # the second tab's text, still there
    expect(second.locator("#draft-status")).to_have_text("Not saved: see the message above.")
    assert Letter.objects.get().appreciation == THEIRS  # the first tab's, saved
    screenshot(second, "drafts-conflict-in-the-second-tab")

    # Saving by hand does not overwrite either: the page comes back with both texts.
    second.once("dialog", lambda dialog: dialog.accept())
    second.locator("#letter-form").get_by_role("button", name="Save draft").click()
    expect(second.get_by_test_id("draft-conflict")).to_contain_text(THEIRS)
    expect(appreciation(second)).to_have_value(MINE)
    assert Letter.objects.get().appreciation == THEIRS
    assert [p for p in second.problems if "Content Security Policy" in p] == []


def test_the_free_form_lists_the_people_at_the_chosen_application_first(
    live_server, page, log_in, owner, thank_you
):
    ContactFactory(owner=owner, name="Aaron Elsewhere")
    log_in(owner)
    page.goto(live_server.url + "/letters/new/")
    to = page.get_by_label(label("To"))
    assert to.locator("optgroup").count() == 0

    page.get_by_label(label("Application")).select_option(label="Data Engineer at Acme")

    here = to.locator("optgroup[label='At this application'] option")
    expect(here).to_have_text([re.compile("^Ada Park")])
    others = to.locator("optgroup[label='Other contacts'] option")
    expect(others).to_have_text([re.compile("^Aaron Elsewhere")])
    to.select_option(value=str(thank_you.contact_id))
    page.get_by_label(label("Kind")).select_option(label="Thank-you letter")
    page.get_by_role("button", name="Start writing").click()
    # The letter to Ada is her planned thank-you: "Write it" on the plan now opens this one.
    page.get_by_role("heading", name="Thank-you letter to Ada Park", level=1).wait_for()
    assert Letter.objects.get().follow_up == thank_you
