"""The time zone list: current names only, the usual ones first, the same at sign-up and in
the settings."""

from pathlib import Path

import pytest

from followup.accounts.forms import ProfileForm, SignupForm
from followup.accounts.time_zones import COMMON, OLD_NAMES, time_zone_choices, time_zone_names
from tests.factories import UserFactory

ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")


def offered(choices) -> list[str]:
    return [value for _, group in choices for value, _ in group]


def test_the_list_offers_no_old_name():
    names = set(offered(time_zone_choices()))
    old = {"US/Eastern", "Asia/Calcutta", "Asia/Saigon", "Europe/Kiev", "GMT+0", "EST",
           "America/Buenos_Aires", "Etc/GMT+5", "Etc/UTC", "Canada/Pacific", "Factory"}  # fmt: skip
    assert not old & names
    assert {"Asia/Kolkata", "Europe/Kyiv", "America/Argentina/Buenos_Aires", "UTC"} <= names
    assert names == time_zone_names()


def test_the_list_is_the_tz_databases_zone_tab():
    """zone.tab lists the zones to offer (one or more per country): the list is that, plus UTC.

    Checked against the system's copy where it has one; a zone newer than that copy is skipped.
    """
    if not ZONE_TAB.exists():
        pytest.skip(f"{ZONE_TAB} not found")
    lines = [line.split("\t") for line in ZONE_TAB.read_text().splitlines()]
    listed = {fields[2] for fields in lines if not fields[0].startswith("#")}
    known = {name for name in time_zone_names() if Path(ZONE_TAB.parent, name).exists()}
    assert known - {"UTC"} == listed & time_zone_names()
    assert not listed & OLD_NAMES


def test_common_zones_come_first_then_every_region():
    groups = [label for label, _ in time_zone_choices()]
    assert groups[0] == "Common" and "Europe" in groups and "Pacific" in groups
    common = dict(time_zone_choices()[0][1])
    assert list(common) == COMMON and 12 <= len(common) <= 20
    assert set(common) <= time_zone_names()
    europe = dict(time_zone_choices()[groups.index("Europe")][1])
    assert europe["Europe/London"] == "London"


def test_sign_up_refuses_an_old_name_and_takes_the_browsers_zone_only_when_fresh():
    assert "data-browser-time-zone" in str(SignupForm()["time_zone"])
    form = SignupForm(data={"time_zone": "Asia/Calcutta"})
    assert not form.is_valid() and "time_zone" in form.errors
    form = SignupForm(data={"time_zone": "Asia/Kolkata"})
    assert form.is_valid(), form.errors
    assert "data-browser-time-zone" not in str(form["time_zone"])
    assert "js/timezone.js" in str(SignupForm().media)


@pytest.mark.django_db
def test_settings_offer_the_same_list_and_keep_an_old_name_someone_already_has():
    person = UserFactory(time_zone="Europe/Paris")
    assert ProfileForm(instance=person).fields["time_zone"].choices == time_zone_choices()

    person.time_zone = "US/Eastern"  # chosen before the list lost the old names
    form = ProfileForm(instance=person)
    assert form.fields["time_zone"].choices[0] == ("US/Eastern", "US/Eastern")
    assert 'value="US/Eastern" selected' in str(form["time_zone"])
    data = {
        name: getattr(person, name)
        for name in ["name", "cadence_first_days", "cadence_second_days", "cadence_repeat_days"]
    }
    assert ProfileForm(data={**data, "time_zone": "US/Eastern"}, instance=person).is_valid()
    other = UserFactory(time_zone="Europe/Paris")
    assert not ProfileForm(data={**data, "time_zone": "US/Eastern"}, instance=other).is_valid()
