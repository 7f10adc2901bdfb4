from django import forms
from django.conf import settings

from .restore import RestoreRefused, check_upload_basics


class RestoreForm(forms.Form):
    file = forms.FileField(
        label="Export file",
        help_text="The .zip you downloaded from followup (or the .json inside it).",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.json,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.EXPORT_RESTORE_MAX_BYTES:
            limit = settings.EXPORT_RESTORE_MAX_BYTES // 1_000_000
            raise forms.ValidationError(f"This file is larger than {limit} MB.")
        # What can be told from the file's start; the worker reads and checks the whole of it.
        try:
            check_upload_basics(upload)
        except RestoreRefused as refusal:
            raise forms.ValidationError(refusal.messages) from None
        return upload
