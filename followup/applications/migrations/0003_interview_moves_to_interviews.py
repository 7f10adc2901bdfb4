"""Interview and Interviewer now live in the interviews app (interviews 0001): forget them here.

Their tables stay as they are and keep their rows; FollowUp.interview points at the same table
under its new model. Nothing here runs SQL.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0002_initial'),
        ('interviews', '0001_initial'),
        # Letter.interview must point at the new model before the old one goes.
        ('letters', '0004_letter_interview_moves_to_interviews'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='followup',
                    name='interview',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='interviews.interview'),
                ),
                migrations.RemoveField(
                    model_name='interview',
                    name='interviewers',
                ),
                migrations.DeleteModel(
                    name='Interviewer',
                ),
                migrations.DeleteModel(
                    name='Interview',
                ),
            ],
        ),
    ]
