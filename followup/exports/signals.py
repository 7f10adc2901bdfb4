from django.db.models.signals import post_delete
from django.dispatch import receiver

from followup.letters.uploads import delete_stored_file_on_commit

from .models import ExportJob, RestoreJob


@receiver(post_delete, sender=ExportJob)
def delete_export_file(sender, instance: ExportJob, using: str, **kwargs) -> None:
    # An export goes with its owner's account through a cascade that calls no delete() of ours:
    # this is the one hook every path passes, so the archive never outlives the account.
    delete_stored_file_on_commit(instance.file.storage, instance.file.name, using=using)


@receiver(post_delete, sender=RestoreJob)
def delete_restore_upload(sender, instance: RestoreJob, using: str, **kwargs) -> None:
    # An upload a worker has not taken yet goes with its account too.
    if instance.file:
        delete_stored_file_on_commit(instance.file.storage, instance.file.name, using=using)
