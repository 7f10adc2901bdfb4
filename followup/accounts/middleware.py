import time
import zoneinfo
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone


class UserTimezoneMiddleware:
    """Show every date in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The zone is the thread's: left active, it would follow the thread into whatever
            # it runs next (a test's own code after a request, a task in a threaded worker).
            timezone.deactivate()


def confirmed_email_recently(request) -> bool:
    """Whether this session confirmed a code emailed to the person within the last
    STAFF_MFA_EMAIL_CONFIRMATION_SECONDS (allauth records it as a "code" authentication)."""
    since = time.time() - settings.STAFF_MFA_EMAIL_CONFIRMATION_SECONDS
    return any(
        record.get("method") == "code" and record.get("email") and record.get("at", 0) > since
        for record in get_authentication_records(request, request.user)
    )


class StaffMFAMiddleware:
    """Send staff to set up two-factor authentication before they can use the admin, and have
    them confirm a code emailed to their address before they may set it up.

    Once an authenticator is set up, allauth asks for its code at every login, so a staff
    session that reaches the admin has passed both factors. Before that, the password alone
    would let whoever holds it enrol an authenticator of their own and own the admin; the
    emailed code asks for the staff member's mailbox too. allauth's reauthentication by code
    sends it (to a confirmed address of theirs) and records it in the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not user.is_staff
            or is_mfa_enabled(user, types=["totp"])
        ):
            return self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            messages.warning(request, "Set up two-factor authentication to use the admin.")
            return redirect("mfa_activate_totp")
        if request.path == reverse("mfa_activate_totp") and not confirmed_email_recently(request):
            if not EmailAddress.objects.filter(user=user, verified=True).exists():
                messages.warning(request, "Confirm your email address first.")
                return redirect("account_email")
            messages.info(
                request,
                "Before you set up two-factor authentication, confirm it is you with a code "
                "we email to your address.",
            )
            query = urlencode({REDIRECT_FIELD_NAME: request.path})
            return redirect(f"{reverse('account_request_reauthentication_code')}?{query}")
        return self.get_response(request)
