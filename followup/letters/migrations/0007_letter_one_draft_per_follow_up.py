"""One draft per planned follow-up, kept by the database.

"Write it" used to start a new draft each time, so some follow-ups have several. Every draft is
kept: the one edited last stays the follow-up's draft, the others lose only their link to it (they
remain drafts to the same person, on the same application, with all their text), and then the
constraint is added.
"""

from django.db import migrations, models
from django.db.models import Count


def unlink_all_but_the_latest_draft(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    drafts = Letter.objects.filter(sent_on__isnull=True, follow_up__isnull=False)
    shared = (
        drafts.values("follow_up")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("follow_up", flat=True)
    )
    for follow_up_id in list(shared):
        _latest, *others = (
            drafts.filter(follow_up_id=follow_up_id)
            .order_by("-updated_at", "-pk")
            .values_list("pk", flat=True)
        )
        # update(), not save(): the drafts keep the time they were last edited.
        Letter.objects.filter(pk__in=others).update(follow_up=None)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0003_interview_moves_to_interviews'),
        ('letters', '0006_letter_version'),
    ]

    operations = [
        # Going back leaves the links as they are: nothing to undo.
        migrations.RunPython(unlink_all_but_the_latest_draft, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.UniqueConstraint(condition=models.Q(('follow_up__isnull', False), ('sent_on__isnull', True)), fields=('follow_up',), name='letter_one_draft_per_follow_up'),
        ),
    ]
