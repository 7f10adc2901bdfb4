"""The Content-Security-Policy is sent, the pages satisfy it, and a violation would be seen."""

import pytest

from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_carry_the_policy_and_break_none_of_it(live_server, page, log_in, owner):
    application = ApplicationFactory(owner=owner)
    letter = LetterFactory(application=application, contact=ContactFactory(owner=owner))
    log_in(owner)
    for path in [
        "/",
        "/applications/",
        application.get_absolute_url(),
        f"/letters/{letter.pk}/",
        "/contacts/",
        "/reminders/settings/",
        "/coaching/",
    ]:
        response = page.goto(live_server.url + path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
    # The composer's live preview (htmx) still works under the policy.
    page.goto(f"{live_server.url}/letters/{letter.pk}/")
    page.locator("#id_appreciation").fill("Thank you for the warm welcome.")
    page.locator("#letter-preview-body").get_by_text("Thank you for the warm welcome.").wait_for()
    assert page.problems == []


def test_an_inline_script_would_be_reported(live_server, page, log_in, owner):
    """The negative control: the watch on the console does catch a violation."""
    log_in(owner)
    page.goto(live_server.url + "/")
    # The browser reports the violation on the console a moment later, however busy it is.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
        )
    assert page.evaluate("() => window.ran === undefined")
    assert any("Content Security Policy" in p for p in page.problems)
    page.problems.clear()  # expected here; the fixture's check would otherwise fail the test
