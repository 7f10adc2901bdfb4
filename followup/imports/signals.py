from django.db.models.signals import post_delete
from django.dispatch import receiver

from followup.letters.uploads import delete_stored_file_on_commit

from .models import ImportJob


@receiver(post_delete, sender=ImportJob)
def delete_import_upload(sender, instance: ImportJob, using: str, **kwargs) -> None:
    # A job goes with its owner's account through a cascade that calls no delete() of ours: the
    # spreadsheet it still holds (a job not yet imported keeps it for a day) goes with it.
    if instance.file:
        delete_stored_file_on_commit(instance.file.storage, instance.file.name, using=using)
