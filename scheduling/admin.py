from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from opd.access import is_bkpsdm

from .forms import DatasetUploadForm
from .services import describe_counts, import_dataset

IMPORT_PERMISSIONS = ("opd.add_employee", "opd.change_employee", "opd.add_opd", "opd.change_opd")


def import_dataset_view(request):
    """Admin page: upload dataset CSV files; same validation and writes as the command."""
    if not (is_bkpsdm(request.user) and request.user.has_perms(IMPORT_PERMISSIONS)):
        raise PermissionDenied
    posted = request.method == "POST"
    form = DatasetUploadForm(request.POST, request.FILES) if posted else DatasetUploadForm()
    report = None
    if posted and form.is_valid():
        report = import_dataset(
            files=form.cleaned_data["files"], dry_run=form.cleaned_data["dry_run"]
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Impor dataset"),
        "form": form,
        "report": report,
        "summaries": [
            (name, describe_counts(counts))
            for name, counts in (report.counts.items() if report else [])
        ],
    }
    return TemplateResponse(request, "admin/import_dataset.html", context)
