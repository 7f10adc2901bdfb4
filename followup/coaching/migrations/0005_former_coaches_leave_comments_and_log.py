import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, NullIf


def copy_coach_names(apps, schema_editor):
    """Every line written so far gets its coach's name, as the log shows it (name, else email)."""
    AccessLogEntry = apps.get_model("coaching", "AccessLogEntry")
    User = apps.get_model("accounts", "User")
    display_name = User.objects.filter(pk=OuterRef("coach_id")).values(
        name_or_email=Coalesce(
            NullIf("name", models.Value("")), "email", output_field=models.CharField()
        )
    )[:1]
    AccessLogEntry.objects.update(coach_name=Subquery(display_name))


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0004_coaching_calendar_shared"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="coach_name",
            field=models.CharField(blank=True, max_length=254),
        ),
        migrations.RunPython(copy_coach_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accesslogentry",
            name="coach",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="author",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
