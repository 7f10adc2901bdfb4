from django import forms
from django.core.exceptions import ValidationError

from .columns import IGNORE, choices_for, missing_required, targets_for
from .models import Kind
from .reading import MAX_BYTES, MAX_ROWS, Sheet, SheetError, read_sheet


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text=(
            f"CSV or Excel (.xlsx), with the column names in the first row; up to {MAX_ROWS:,} "
            f"rows and {MAX_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.tsv"}),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            try:
                self.sheet: Sheet = read_sheet(upload, upload.name)
            except SheetError as error:
                self.add_error("file", str(error))
        return cleaned


class MappingForm(forms.Form):
    """One choice per spreadsheet column: the field it fills, or nothing."""

    def __init__(
        self, *args, kind: str, headers: list[str], samples: list[list[str]], initial_mapping: dict,
        **kwargs,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.headers = headers
        self.samples = samples
        choices = choices_for(kind)
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False,
                initial=initial_mapping.get(index, IGNORE),
            )  # fmt: skip

    def columns(self):
        """(bound field, a few of its values) per spreadsheet column, in order."""
        return [
            (self[f"column_{index}"], self.samples[index]) for index in range(len(self.headers))
        ]

    def clean(self):
        cleaned = super().clean()
        mapping = self.mapping_from(cleaned)
        labels = {target.name: target.label for target in targets_for(self.kind)}
        chosen: dict[str, int] = {}
        for index, target in mapping.items():
            if target == IGNORE:
                continue
            if target in chosen:
                self.add_error(
                    f"column_{index}",
                    f"“{self.headers[chosen[target]]}” is already imported as "
                    f"{labels[target]}; choose one of the two.",
                )
            chosen.setdefault(target, index)
        missing = missing_required(mapping, self.kind)
        if missing:
            names = " and ".join(target.label for target in missing)
            raise ValidationError(f"Choose the column that holds the {names.lower()}.")
        return cleaned

    def mapping_from(self, cleaned: dict) -> dict[int, str]:
        return {
            index: cleaned.get(f"column_{index}") or IGNORE for index in range(len(self.headers))
        }

    @property
    def mapping(self) -> dict[int, str]:
        return self.mapping_from(self.cleaned_data)
