from django.db import transaction

from .models import User
from .tasks import send_welcome_email


def user_welcome(*, user: User) -> None:
    """Queue the welcome email once the new account's address is confirmed."""
    transaction.on_commit(lambda: send_welcome_email.delay(user.pk))
