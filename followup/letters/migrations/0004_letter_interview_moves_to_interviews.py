"""Letter.interview points at interviews.Interview: the same table, so only the state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0001_initial'),
        ('letters', '0003_contacts_restrict_so_a_person_can_be_deleted'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='letter',
                    name='interview',
                    field=models.ForeignKey(blank=True, help_text='The interview this letter thanks for.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='letters', to='interviews.interview'),
                ),
            ],
        ),
    ]
