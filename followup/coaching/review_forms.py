from django import forms

from .models import Comment
from .review import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    """A comment on a letter draft: on the whole letter or on one part of it."""

    part = forms.ChoiceField(choices=Comment.PARTS, required=False, label="About")
    text = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a comment."},
    )

    def __init__(self, *args, **kwargs):
        # The composer holds other forms on the same page; keep the element ids apart.
        kwargs.setdefault("auto_id", "id_comment_%s")
        super().__init__(*args, **kwargs)
