from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .services import user_welcome


@receiver(email_confirmed)
def welcome_after_first_confirmation(sender, request, email_address, **kwargs):
    # Only the first confirmed address is a new account; adding a second address is not.
    user = email_address.user
    if user.emailaddress_set.filter(verified=True).count() == 1:
        user_welcome(user=user)
