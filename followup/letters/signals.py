from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Gift
from .uploads import delete_stored_file_on_commit


@receiver(post_delete, sender=Gift)
def delete_gift_file(sender, instance: Gift, using: str, **kwargs) -> None:
    # A gift goes with its letter, its application and its person, through cascades that Django
    # runs as SQL without calling any model's or queryset's delete(): this signal is the one hook
    # that every such path passes (views, the admin, seed_demo, a shell). It only tidies storage;
    # replacing a file is handled where the gift is saved (services.gift_save).
    delete_stored_file_on_commit(instance.file.storage, instance.file.name, using=using)
