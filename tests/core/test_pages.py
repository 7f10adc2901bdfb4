import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

CADENCE = {"cadence_first_days": 7, "cadence_second_days": 14, "cadence_repeat_days": 21}
ROOT = Path(__file__).resolve().parent.parent.parent


def test_settings_change_name_and_time_zone(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:profile"),
        {"name": "Olivia O.", "time_zone": "Asia/Tokyo"} | CADENCE,
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.name, owner.time_zone) == ("Olivia O.", "Asia/Tokyo")


def test_own_cadence_is_validated(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:profile"),
        {"name": "O", "time_zone": "UTC"} | CADENCE | {"cadence_first_days": 0},
    )
    assert response.status_code == 200
    assert "cadence_first_days" in response.context["form"].errors


def test_unknown_time_zone_is_refused_on_the_field(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:profile"), {"name": "Olivia", "time_zone": "Mars/Olympus_Mons"} | CADENCE
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/London"


def test_settings_need_a_signed_in_person(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_user_text_is_escaped(owner_client, owner):
    owner.name = "<script>alert(1)</script>"
    owner.save()
    response = owner_client.get("/")
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_each_request_runs_in_the_persons_time_zone(rf, owner):
    from followup.accounts.middleware import UserTimezoneMiddleware

    owner.time_zone = "Asia/Tokyo"
    request = rf.get("/")
    request.user = owner
    seen = []
    UserTimezoneMiddleware(lambda r: seen.append(timezone.get_current_timezone_name()))(request)
    assert seen == ["Asia/Tokyo"]
    # And only during the request: the thread goes back to the site's zone.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_no_template_loads_css_or_js_from_another_host():
    pattern = re.compile(r'(src|href)="(https?:)?//[^"]+\.(js|css)')
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if pattern.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_navbar_collapses_on_a_phone(live_server, page, log_in, owner):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(owner)
    page.goto(live_server.url)
    assert not page.get_by_role("link", name="Dashboard").is_visible()
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="Dashboard").wait_for()


def test_plain_text_emails_are_not_html_escaped_but_html_is(db):
    from followup.core.emails import build_email
    from tests.factories import UserFactory

    user = UserFactory.build(name="O'Brien<b> Smith")
    message = build_email("welcome", {"user": user}, to=["x@example.com"])
    assert "Hello O'Brien<b>," in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Hello O&#x27;Brien&lt;b&gt;," in html
