from celery import shared_task

from followup.core.emails import build_email

from .models import User


@shared_task(name="followup.accounts.tasks.send_welcome_email", ignore_result=True)
def send_welcome_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    build_email("welcome", {"user": user}, to=[user.email]).send()


@shared_task(name="followup.accounts.tasks.send_account_deleted_notice", ignore_result=True)
def send_account_deleted_notice(*, email: str, name: str, deleted_name: str, deleted_was: str):
    """Tell the other side of a coaching that the account behind it was deleted."""
    context = {"name": name, "deleted_name": deleted_name, "deleted_was": deleted_was}
    build_email("coaching-account-deleted", context, to=[email]).send()
