from celery import shared_task

from followup.core.emails import build_email

from .models import Coaching, CoachingStatus, InvitedBy


@shared_task(name="followup.coaching.tasks.send_invitation", ignore_result=True)
def send_invitation(coaching_id: int) -> None:
    from .services import invitation_url

    coaching = (
        Coaching.objects.filter(pk=coaching_id, status=CoachingStatus.INVITED)
        .select_related("coach", "client")
        .first()
    )
    if coaching is None:
        return
    inviter = coaching.coach if coaching.invited_by == InvitedBy.COACH else coaching.client
    context = {"coaching": coaching, "inviter": inviter, "url": invitation_url(coaching)}
    build_email("coaching-invitation", context, to=[coaching.invited_email]).send()
