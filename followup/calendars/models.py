import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's private calendar address: whoever holds the token reads their calendar.

    Calendar apps cannot log in, so the token is the whole key: 256 random bits, looked up by its
    digest (an index walk compares digests, which tell nothing about the next guess) and then
    compared in constant time. A new token replaces the old one, which stops working at once.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # Kept so the settings page can show the address again; only its digest is looked up.
    token = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.owner}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def set_token(self, token: str) -> None:
        self.token = token
        self.digest = token_digest(token)
        self.created_at = timezone.now()
