"""An import job: one uploaded file, its preview, its progress and its outcome.

A file of up to ``IMPORT_BACKGROUND_ROWS`` rows is judged while the clerk waits and shown as a
preview to confirm; a larger one is queued as a Celery task that judges every row and, if none
has an error, writes them all in one transaction, updating ``rows_done`` as it goes. The files
are deleted ``IMPORT_FILES_KEPT_DAYS`` after the job ends; the job stays as the record.

``ImportRefusal`` audits rows refused for naming a person outside the importing user's
jurisdiction (issue 11.6): the clerk learns no more than for a person who does not exist, and
the city administrator sees who asked about whom. A row, not a log line: it is kept with the
job it belongs to, as every workflow step here keeps its transition row, and it is read in the
admin by those who may, not in a web server's log.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Import and export are separate explicit permissions, one pair per resource (issue 5 §5).
# (Permission names are stored in the database as written, so they are plain English here.)
RESOURCE_PERMISSIONS = (
    ("unit", "units"),
    ("serviceitem", "service items"),
    ("enforcementitem", "enforcement items"),
    ("coordinationitem", "coordination items"),
    ("cadre", "cadres"),
    ("secondment", "secondments"),
    ("assessment", "assessment grades"),
    ("villagemember", "village two-committee members"),
    ("trainingattendance", "training attendance"),
    ("townshippower", "townships' own powers"),
    ("partybranch", "party branches"),
)


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking rows")
    PREVIEW = "preview", _("Checked, awaiting confirmation")
    APPLYING = "applying", _("Writing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Not imported: the file has errors")
    FAILED = "failed", _("Not imported: the import stopped unexpectedly")
    EXPIRED = "expired", _("Not imported: the preview was not confirmed in time")


# A job in one of these states is over; its files may be purged after IMPORT_FILES_KEPT_DAYS.
ENDED_STATUSES = (ImportJobStatus.DONE, ImportJobStatus.REJECTED, ImportJobStatus.FAILED, ImportJobStatus.EXPIRED)
# A job in one of these states is being worked on; one left there by a dead worker is failed by the purge.
WORKING_STATUSES = (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING, ImportJobStatus.APPLYING)


class ImportJob(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE)
    resource = models.CharField(_("record type"), max_length=30)
    # Blank once purged (governance.spreadsheets.purge.import_files_purge): uploads hold personal information.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    background = models.BooleanField(_("runs in the background"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportJobStatus.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    message = models.TextField(_("message"), blank=True)
    # [[row number, outcome, "column: reason; …"], …]: every row of a previewed file, the error rows of a large one.
    preview = models.JSONField(_("preview"), default=list, blank=True)
    error_file = models.FileField(_("failed rows"), upload_to="imports/errors/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Set by every status change and progress report: a working job not touched for
    # IMPORT_JOB_STUCK_HOURS has lost its worker (issue 11.9).
    updated_at = models.DateTimeField(_("last activity"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["preview", "updated_at"])

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="import_job_user_recent")]
        permissions = [
            (f"{action}_{key}", f"Can {action} {label} {direction} spreadsheets")
            for key, label in RESOURCE_PERMISSIONS
            for action, direction in (("import", "from"), ("export", "to"))
        ]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(self.rows_done * 100 / self.rows_total) if self.rows_total else 0

    @property
    def finished(self) -> bool:
        return self.status in ENDED_STATUSES


class RefusalReason(models.TextChoices):
    CADRE_OUTSIDE = "cadre_outside", _("cadre outside the user's jurisdiction")
    ASSESSMENT_OUTSIDE = "assessment_outside", _("assessment outside the user's jurisdiction")


class ImportRefusal(models.Model):
    """One row refused because the record it names lies outside the importing user's jurisdiction."""

    job = models.ForeignKey(ImportJob, verbose_name=_("import job"), on_delete=models.CASCADE, related_name="refusals")
    row = models.PositiveIntegerField(_("row"))
    reason = models.CharField(_("reason"), max_length=30, choices=RefusalReason.choices)
    # The ID number as the file wrote it (masked if the file had it masked): whom the user asked about.
    subject = models.CharField(_("ID number"), max_length=50)
    created_at = models.DateTimeField(_("refused at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refused import row")
        verbose_name_plural = _("refused import rows")
        ordering = ["-created_at", "job", "row"]

    def __str__(self):
        return f"{self.job_id}:{self.row} {self.get_reason_display()}"
