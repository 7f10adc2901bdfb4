"""Letter.version: counts the saves of a letter's text, so a save from an older version is refused."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0005_gift_sentence'),
    ]

    operations = [
        migrations.AddField(
            model_name='letter',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
