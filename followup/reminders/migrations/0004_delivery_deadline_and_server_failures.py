from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError):  # a broken zone: the deadline is then UTC's
        return UTC


def fill_deadlines_and_free_held_follow_ups(apps, schema_editor):
    """Give pending reminders their deadline, and free the follow-ups failed ones held.

    Until now a failed reminder kept its follow-ups, and the sweep claims only free ones, so
    nothing would ever remind anyone about them again; freed, the next sweep claims them into a
    catch-up digest, as after a downtime.
    """
    Reminder = apps.get_model("reminders", "Reminder")
    FollowUp = apps.get_model("applications", "FollowUp")
    days = settings.REMINDER_EXPIRE_AFTER_DAYS
    pending = Reminder.objects.filter(status__in=["queued", "sending"]).select_related("recipient")
    for reminder in pending.iterator():
        last_day = reminder.local_date + timedelta(days=days + 1)
        reminder.deliver_by = datetime.combine(
            last_day, time.min, tzinfo=_zone(reminder.recipient.time_zone)
        )
        reminder.save(update_fields=["deliver_by"])
    FollowUp.objects.filter(status="pending", reminder__status="failed").update(reminder=None)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_initial"),
        ("reminders", "0003_suppressedaddress_suppressed_email_upper_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="deliver_by",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reminder",
            name="server_failures",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="sweeprun",
            name="expired_reminders",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("suppressed", "Suppressed"),
                    ("expired", "Expired"),
                ],
                default="queued",
                max_length=12,
            ),
        ),
        # Going back leaves the deadlines (the column goes) and the freed follow-ups free.
        migrations.RunPython(fill_deadlines_and_free_held_follow_ups, migrations.RunPython.noop),
    ]
