"""Import and export screens, added to a model admin by ``SpreadsheetAdminMixin``.

The views only check the explicit permission and call the services; the services and the
resource re-check everything (jurisdiction per row, permission again on confirm).
"""

import copy

from django import forms
from django.contrib import messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ORDER_VAR, PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from governance.spreadsheets.models import ImportJob, ImportJobStatus
from governance.spreadsheets.registry import resource_class
from governance.spreadsheets.resources import Outcome
from governance.spreadsheets.services import (
    EXPORT_NOT_PERMITTED,
    IMPORT_NOT_PERMITTED,
    import_job_confirm,
    import_job_create,
    may_export,
    may_import,
)
from governance.spreadsheets.writers import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    XLSX_MAX_DATA_ROWS,
    csv_stream,
    template_file,
    xlsx_file,
)

EXPORT_FILTERS_INVALID = _("The list’s filters are not valid any more; choose them again, then export.")
EXPORT_TOO_LONG_FOR_XLSX = _(
    "More than %(limit)s records: an Excel worksheet cannot hold them. Export to CSV, or filter the list first."
)
# The export link's own parameter; the others are the list page's filters and search.
EXPORT_FORMAT = "format"

IMPORT_DONE = _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")


def _preview_entry(entry: list) -> tuple:
    """(number, outcome, errors, name); jobs previewed before names were kept hold three items."""
    number, outcome, errors, *rest = entry
    return number, outcome, errors, rest[0] if rest else ""


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        allow_empty_file=True,  # the reader says why an empty file cannot be imported
        help_text=_("An .xlsx workbook or a .csv file (UTF-8 or GBK), with the template’s header row."),
    )


class SpreadsheetAdminMixin:
    """Set ``sheet_resource`` to a key of ``governance.spreadsheets.registry.RESOURCES``."""

    sheet_resource: str
    change_list_template = "admin/spreadsheets/change_list.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.sheet_import_view), name=f"{name}_import"),
            path("import/template/", wrap(self.sheet_template_view), name=f"{name}_import_template"),
            path("import/<int:job_id>/", wrap(self.sheet_job_view), name=f"{name}_import_job"),
            path("import/<int:job_id>/progress/", wrap(self.sheet_progress_view), name=f"{name}_import_progress"),
            path("import/<int:job_id>/errors/", wrap(self.sheet_errors_view), name=f"{name}_import_errors"),
            path("export/", wrap(self.sheet_export_view), name=f"{name}_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import": may_import(request.user, self.sheet_resource),
            "may_export": may_export(request.user, self.sheet_resource),
            "sheet_url_prefix": f"admin:{self.opts.app_label}_{self.opts.model_name}",
        }
        return super().changelist_view(request, extra_context)

    # --- import ---

    def _url(self, suffix: str, *args) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{suffix}", args=args)

    def _require_import(self, request) -> None:
        if not may_import(request.user, self.sheet_resource):
            raise PermissionDenied(IMPORT_NOT_PERMITTED)

    def _context(self, request, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "sheet_name": resource_class(self.sheet_resource).sheet_name,
            "template_url": self._url("import_template"),
            "changelist_url": self._url("changelist"),
            **extra,
        }

    def sheet_import_view(self, request):
        self._require_import(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = import_job_create(
                    user=request.user, resource_key=self.sheet_resource, upload=form.cleaned_data["file"]
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect(self._url("import_job", job.pk))
        resource = resource_class(self.sheet_resource)
        recent = ImportJob.objects.filter(user=request.user, resource=self.sheet_resource)[:10]
        return TemplateResponse(
            request,
            "admin/spreadsheets/import.html",
            self._context(
                request,
                form=form,
                title=_("Import %(records)s") % {"records": resource.sheet_name},
                columns=resource.columns,
                recent=[(job, self._url("import_job", job.pk)) for job in recent],
            ),
        )

    def sheet_template_view(self, request):
        self._require_import(request)
        resource = resource_class(self.sheet_resource)(request.user)
        response = HttpResponse(template_file(resource), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, f"{resource.sheet_name}导入模板.xlsx")
        return response

    def _job(self, request, job_id: int) -> ImportJob:
        """Only the clerk who uploaded a file sees its job."""
        self._require_import(request)
        return get_object_or_404(ImportJob, pk=job_id, user=request.user, resource=self.sheet_resource)

    def sheet_job_view(self, request, job_id: int):
        job = self._job(request, job_id)
        if request.method == "POST":
            try:
                job = import_job_confirm(job=job, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if job.status == ImportJobStatus.DONE:
                    messages.success(
                        request,
                        IMPORT_DONE
                        % {"new": job.created_count, "updated": job.updated_count, "unchanged": job.unchanged_count},
                    )
                    return redirect(self._url("changelist"))
            return redirect(self._url("import_job", job.pk))
        labels = Outcome.LABELS
        rows = [
            (number, name, outcome, labels.get(outcome, outcome), errors)
            for number, outcome, errors, name in (_preview_entry(entry) for entry in job.preview)
        ]
        return TemplateResponse(
            request,
            "admin/spreadsheets/job.html",
            self._context(
                request,
                job=job,
                rows=rows,
                title=_("Import of “%(name)s”") % {"name": job.original_name},
                progress_url=self._url("import_progress", job.pk),
                errors_url=self._url("import_errors", job.pk) if job.error_file else "",
                import_url=self._url("import"),
                may_confirm=job.status == ImportJobStatus.PREVIEW and job.error_count == 0,
            ),
        )

    def sheet_progress_view(self, request, job_id: int):
        job = self._job(request, job_id)
        return JsonResponse(
            {
                "status": job.status,
                "status_label": str(job.get_status_display()),
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
                "percent": job.percent,
                "finished": job.finished or job.status == ImportJobStatus.PREVIEW,
            }
        )

    def sheet_errors_view(self, request, job_id: int):
        job = self._job(request, job_id)
        if not job.error_file:
            raise Http404
        sheet_name = resource_class(self.sheet_resource).sheet_name
        return FileResponse(
            job.error_file.open("rb"),
            as_attachment=True,
            filename=f"{sheet_name}_错误行.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )

    # --- export ---

    def sheet_export_view(self, request):
        if not may_export(request.user, self.sheet_resource):
            raise PermissionDenied(EXPORT_NOT_PERMITTED)
        resource = resource_class(self.sheet_resource)(request.user)
        try:
            queryset = self._exported(request, resource.export_queryset())
        except (IncorrectLookupParameters, DisallowedModelAdminLookup):
            messages.error(request, EXPORT_FILTERS_INVALID)
            return redirect(self._url("changelist"))
        as_csv = request.GET.get(EXPORT_FORMAT) == "csv"
        if not as_csv and queryset[: XLSX_MAX_DATA_ROWS + 1].count() > XLSX_MAX_DATA_ROWS:
            messages.error(request, EXPORT_TOO_LONG_FOR_XLSX % {"limit": f"{XLSX_MAX_DATA_ROWS:,}"})
            return redirect(self._url("changelist"))
        headers = [column.header for column in resource.columns]
        rows = resource.export_rows(queryset)
        if as_csv:
            response = StreamingHttpResponse(csv_stream(headers, rows), content_type=CSV_CONTENT_TYPE)
            response["Content-Disposition"] = content_disposition_header(True, f"{resource.sheet_name}.csv")
            return response
        return FileResponse(
            xlsx_file(resource.sheet_name, headers, rows),
            as_attachment=True,
            filename=f"{resource.sheet_name}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )

    def _exported(self, request, queryset):
        """What the list page shows: the export links carry its filters and search, and the
        records are the list's (its own scoping included), in the resource's layout."""
        listing_params = request.GET.copy()
        for name in (EXPORT_FORMAT, PAGE_VAR, ORDER_VAR, ERROR_FLAG):
            listing_params.pop(name, None)
        if not listing_params:
            return queryset
        listing = copy.copy(request)
        listing.GET = listing_params
        listed = self.get_changelist_instance(listing).get_queryset(listing)
        return queryset.filter(pk__in=listed.values("pk"))
