from celery import shared_task

from followup.core.emails import build_email

from .models import User


@shared_task(name="followup.accounts.tasks.send_welcome_email", ignore_result=True)
def send_welcome_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    build_email("welcome", {"user": user}, to=[user.email]).send()
