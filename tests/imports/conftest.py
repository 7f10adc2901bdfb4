import pytest

from followup.imports import services
from followup.imports.forms import UploadForm
from tests.imports.sheets import upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_job(owner):
    """An uploaded file of `kind`, read and stored as the upload page does."""

    def make(data: bytes, *, kind: str = "applications", name: str = "sheet.csv", who=None):
        form = UploadForm({"kind": kind}, {"file": upload(data, name)})
        assert form.is_valid(), form.errors
        return services.import_job_create(
            owner=who or owner, kind=kind, upload=form.cleaned_data["file"], sheet=form.sheet
        )

    return make
