"""Which thank-you each interviewer has: the letter written to them, or the follow-up still owed.

Shared by the application's timeline and the interview page, which both list interviewers.
"""

from followup.applications.models import FollowUpKind, FollowUpStatus


def mark_thank_yous(interviews, letters, follow_ups) -> None:
    """Give each interviewer their thank-you letter (if written) and pending thank-you follow-up."""
    written = {(letter.interview_id, letter.contact_id): letter for letter in letters}
    due = {
        (f.interview_id, f.contact_id): f
        for f in follow_ups
        if f.kind == FollowUpKind.THANK_YOU and f.status == FollowUpStatus.PENDING
    }
    for interview in interviews:
        for interviewer in interview.interviewers.all():
            interviewer.thank_you_letter = written.get((interview.pk, interviewer.contact_id))
            interviewer.thank_you_follow_up = due.get((interview.pk, interviewer.contact_id))
