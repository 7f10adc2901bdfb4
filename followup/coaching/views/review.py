"""Letter review through HTTP: ask for a review, comment, resolve, mark the review done. The
composer shows it all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from followup.core.access import get_commentable_or_404, get_own_or_404
from followup.letters.composer import render_composer
from followup.letters.models import Letter

from ..forms import CommentForm
from ..models import Comment
from ..services import review


@login_required
@require_POST
def review_request(request, pk):
    """The job seeker asks their coaches to review a draft."""
    letter = get_own_or_404(Letter.objects.select_related("application"), request.user, pk=pk)
    try:
        coaches = review.review_request(letter=letter, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = ", ".join(coach.display_name for coach in coaches)
        messages.success(request, f"Review requested. {names} will get an email.")
    return redirect("letters:compose", letter.pk)


@login_required
@require_POST
def comment_add(request, pk):
    """A coach who may comment (or the owner, answering) adds a comment to a letter."""
    letter = get_commentable_or_404(
        Letter.objects.select_related("application__owner", "contact", "interview"),
        request.user,
        request=request,
        pk=pk,
    )
    form = CommentForm(request.POST, letter_kind=letter.kind)
    if form.is_valid():
        try:
            review.comment_add(letter=letter, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Comment added.")
            return redirect("letters:compose", letter.pk)
    return render_composer(request, letter, comment_form=form, status=400)


@login_required
@require_POST
def comment_resolve(request, pk):
    """The job seeker marks a comment on their letter as dealt with."""
    comment = get_own_or_404(
        Comment.objects.select_related("letter__application"), request.user, pk=pk
    )
    review.comment_resolve(comment=comment, user=request.user)
    messages.success(request, "Comment marked resolved.")
    return redirect("letters:compose", comment.letter_id)


@login_required
@require_POST
def review_done(request, pk):
    """A coach who may comment closes the review the job seeker asked for."""
    letter = get_commentable_or_404(
        Letter.objects.select_related("application__owner", "contact"),
        request.user,
        request=request,
        pk=pk,
    )
    try:
        review.review_done(letter=letter, coach=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Review marked done. {letter.application.owner.display_name} will see it."
        )
    return redirect("letters:compose", letter.pk)
