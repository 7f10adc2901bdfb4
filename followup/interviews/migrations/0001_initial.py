"""Interview and Interviewer move here from applications, without touching a row.

The tables keep their names (Meta.db_table), so this migration only tells Django's state that the
models now live in this app; applications 0003 then forgets them there, and letters 0004 points
Letter.interview here. In the same move Interviewer's related name becomes `interviewers` (it was
`panel`) and the many-to-many through it becomes `contacts` (it was `interviewers`): neither has a
column. The content types are renamed, so admin history and permissions follow the models.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

MODELS = ("interview", "interviewer")


def _move_content_types(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        # A row already under the target (created by post_migrate) wins; the other is left alone.
        if not rows.filter(app_label=target, model=model).exists():
            rows.filter(app_label=source, model=model).update(app_label=target)
    ContentType.objects.clear_cache()


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="applications", target="interviews")


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="interviews", target="applications")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('applications', '0002_initial'),
        ('contacts', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Interview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scheduled_at', models.DateTimeField(verbose_name='date and time')),
                        ('kind', models.CharField(choices=[('phone', 'Phone'), ('video', 'Video'), ('on_site', 'On site'), ('panel', 'Panel'), ('technical', 'Technical'), ('other', 'Other')], default='video', max_length=20)),
                        ('round', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MaxValueValidator(50)])),
                        ('location', models.CharField(blank=True, max_length=500, verbose_name='location or link')),
                        ('notes', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interviews', to='applications.application')),
                    ],
                    options={
                        'db_table': 'applications_interview',
                        'ordering': ['-scheduled_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Interviewer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('cares_about', models.TextField(blank=True, help_text='Short notes: a topic, a problem, a hobby. Gift ideas come from here.', verbose_name='what they said they care about')),
                        ('contact', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contacts.contact')),
                        ('interview', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interviewers', to='interviews.interview')),
                    ],
                    options={
                        'db_table': 'applications_interviewer',
                    },
                ),
                migrations.AddField(
                    model_name='interview',
                    name='contacts',
                    field=models.ManyToManyField(related_name='interviews', through='interviews.Interviewer', to='contacts.contact'),
                ),
                migrations.AddConstraint(
                    model_name='interviewer',
                    constraint=models.UniqueConstraint(fields=('interview', 'contact'), name='one_seat_per_interview'),
                ),
            ],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards, elidable=False),
    ]
