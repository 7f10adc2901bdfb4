"""Fill the date applied of applications recorded before it existed: the day each was recorded,
in its owner's time zone (0004 gave every row the server's UTC date of the migration)."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import migrations
from django.db.models.functions import TruncDate


def applied_on_from_created_at(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    User = apps.get_model("accounts", "User")
    owners = User.objects.filter(pk__in=Application.objects.values("owner_id"))
    # One UPDATE per time zone, however many applications.
    for time_zone in owners.values_list("time_zone", flat=True).distinct():
        try:
            zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        Application.objects.filter(owner__time_zone=time_zone).update(
            applied_on=TruncDate("created_at", tzinfo=zone)
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_application_facts")]

    # Going back drops the column with 0004; nothing to undo here.
    operations = [migrations.RunPython(applied_on_from_created_at, migrations.RunPython.noop)]
