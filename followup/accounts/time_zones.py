"""The time zones people choose from: current IANA names only, the usual ones first.

The tz database keeps old names working as links ("Asia/Calcutta" for "Asia/Kolkata",
"US/Eastern", "Etc/GMT+5", whose sign is the reverse of what it looks like). Offering them
beside the current names makes the list longer and people pick the wrong twin, so the list
holds the zones of the database's zone.tab (one or more per country) plus UTC: the names under
a continent or ocean, minus the old names below. The stored value of someone who chose an old
name earlier still works; it is not in the list.
"""

import functools
import zoneinfo

REGIONS = (
    "Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/",
    "Europe/", "Indian/", "Pacific/",
)  # fmt: skip

# Names under a region that the tz database keeps only for compatibility (its `backward` file,
# and zones merged into another since 1970): every region name tzdata 2026f ships that its
# zone.tab does not list. A test checks the list against zone.tab where the system has one.
OLD_NAMES = frozenset({
    "Africa/Asmera", "Africa/Timbuktu", "America/Argentina/ComodRivadavia", "America/Atka",
    "America/Buenos_Aires", "America/Catamarca", "America/Coral_Harbour", "America/Cordoba",
    "America/Ensenada", "America/Fort_Wayne", "America/Godthab", "America/Indianapolis",
    "America/Jujuy", "America/Knox_IN", "America/Louisville", "America/Mendoza",
    "America/Montreal", "America/Nipigon", "America/Pangnirtung", "America/Porto_Acre",
    "America/Rainy_River", "America/Rosario", "America/Santa_Isabel", "America/Shiprock",
    "America/Thunder_Bay", "America/Virgin", "America/Yellowknife", "Antarctica/South_Pole",
    "Asia/Ashkhabad", "Asia/Calcutta", "Asia/Choibalsan", "Asia/Chongqing", "Asia/Chungking",
    "Asia/Dacca", "Asia/Harbin", "Asia/Istanbul", "Asia/Kashgar", "Asia/Katmandu", "Asia/Macao",
    "Asia/Rangoon", "Asia/Saigon", "Asia/Tel_Aviv", "Asia/Thimbu", "Asia/Ujung_Pandang",
    "Asia/Ulan_Bator", "Atlantic/Faeroe", "Atlantic/Jan_Mayen", "Australia/ACT",
    "Australia/Canberra", "Australia/Currie", "Australia/LHI", "Australia/NSW", "Australia/North",
    "Australia/Queensland", "Australia/South", "Australia/Tasmania", "Australia/Victoria",
    "Australia/West", "Australia/Yancowinna", "Europe/Belfast", "Europe/Kiev", "Europe/Nicosia",
    "Europe/Tiraspol", "Europe/Uzhgorod", "Europe/Zaporozhye", "Pacific/Enderbury",
    "Pacific/Johnston", "Pacific/Ponape", "Pacific/Samoa", "Pacific/Truk", "Pacific/Yap",
})  # fmt: skip

# Where most people using the site live, west to east; each is also listed under its region.
COMMON = [
    "UTC",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
]


@functools.cache
def time_zone_names() -> frozenset[str]:
    """Every name on offer: UTC and the current name of each zone."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if name.startswith(REGIONS) and name not in OLD_NAMES
    }
    return frozenset(names | {"UTC"})


@functools.cache
def time_zone_choices() -> list:
    """Grouped choices for a form: "Common" first, then every zone under its region."""
    by_region: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(time_zone_names() - {"UTC"}):
        region, place = name.split("/", 1)
        by_region.setdefault(region, []).append((name, _label(place)))
    common = [(name, _label(name)) for name in COMMON]
    return [("Common", common), *by_region.items()]


def _label(name: str) -> str:
    return name.replace("_", " ").replace("/", " / ")
