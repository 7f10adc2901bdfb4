from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from .password_checks import BUSY_MESSAGE, password_check_slot

EMAIL_MAX_LENGTH = EmailAddress._meta.get_field("email").max_length


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Refuse an address longer than the column: saving it would silently cut it to another
        address (another domain, even). allauth's own field allows 320 characters."""
        email = super().clean_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(f"Use an address of at most {EMAIL_MAX_LENGTH} characters.")
        return email

    def authenticate(self, request, **credentials):
        """Check a password only while holding a password-check slot, waiting a moment for one
        if need be (see password_checks).

        Logging in (into the admin too, which sends people here) and confirming one's password
        before a sensitive change come through here. Changing one's password checks the current
        one directly, for people already signed in, who are not the storm this guards against.
        """
        with password_check_slot() as free:
            if not free:
                raise ValidationError(BUSY_MESSAGE, code="password_checks_busy")
            return super().authenticate(request, **credentials)
