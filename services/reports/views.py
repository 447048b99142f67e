"""The coordinator's screens for reports, exports and imports: thin, over the actions."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fieldapp.errors import DomainError, NotFound
from fieldapp.suppression import WITHHELD_NOTE
from services.accounts.requests import request_actor

from .donor import donor_report
from .donor_sheet import donor_report_xlsx
from .exports.actions import ExportAsked, ExportRefused, export_refusal_record, export_request
from .exports.datasets import DATASETS, Scope
from .exports.files import export_file_get, export_file_open
from .exports.writers import csv_lines
from .forms import DonorReportForm, ExportForm, ImportForm
from .imports.actions import import_apply, import_discard, import_dry_run, import_upload
from .models import Build, FileFormat, ImportFile
from .tasks import export_build

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required("reports.view_donor_report", raise_exception=True)
def donor_report_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = DonorReportForm(request.GET or None, user=actor)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = donor_report(
            user=actor, site=data["site"], since=data["since"], until=data["until"]
        )
        if request.GET.get("as") == "xlsx":
            response = HttpResponse(donor_report_xlsx(report), content_type=XLSX)
            name = f"donor-report-{report.site.pk}-{report.since}-{report.until}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "reports/donor_report.html",
        {"form": form, "report": report, "withheld_note": WITHHELD_NOTE},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def export_view(request: HttpRequest) -> HttpResponseBase:
    actor = request_actor(request)
    if not actor.has_perm("reports.add_export"):
        if request.method == "POST":
            export_refusal_record(actor=actor, dataset=request.POST.get("dataset", ""))
        raise PermissionDenied
    form = ExportForm(request.POST or None, user=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        asked = ExportAsked(
            dataset=data["dataset"],
            file_format=data["file_format"],
            since=data["since"],
            until=data["until"],
            sites=list(data["sites"]),
            with_identities=data["with_identities"],
            reason=data["reason"],
        )
        try:
            export, scope = export_request(actor=actor, asked=asked)
        except ExportRefused as refused:
            return render(
                request,
                "reports/export.html",
                {"form": form, "refusal": refused.message},
                status=403,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if export.file_format == FileFormat.XLSX:
                transaction.on_commit(lambda: export_build.delay(export.pk))
                return redirect("reports:export_status", pk=export.pk)
            return _export_csv(export.dataset, scope, export.pk)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "reports/export.html", {"form": form}, status=status)


def _file_name(dataset: str, number: int, extension: str) -> str:
    return f"{dataset}-{timezone.localdate().isoformat()}-{number}.{extension}"


def _export_csv(dataset: str, scope: Scope, number: int) -> HttpResponseBase:
    headers, rows = DATASETS[dataset](scope)
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(dataset, number, "csv")}"'
    return response


@login_required
def export_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """How far an XLSX export has got; the page reloads itself until the file is ready."""
    try:
        export = export_file_get(actor=request_actor(request), pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    waiting = export.build in (Build.WAITING, Build.BUILDING)
    return render(request, "reports/export_status.html", {"export": export, "waiting": waiting})


@login_required
def export_download_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = request_actor(request)
    try:
        export = export_file_get(actor=actor, pk=pk)
        opened = export_file_open(actor=actor, export=export)
    except NotFound as error:
        return render(request, "reports/export_status.html", {"expired": error.message}, status=410)
    name = _file_name(export.dataset, export.pk, "xlsx")
    return FileResponse(opened, as_attachment=True, filename=name, content_type=XLSX)


@permission_required("reports.add_importfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_upload_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        import_file = import_upload(
            actor=actor,
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            content=upload.read(),
        )
        return redirect("reports:import_detail", pk=import_file.pk)
    status = 400 if form.is_bound else 200
    return render(request, "reports/import_upload.html", {"form": form}, status=status)


@permission_required("reports.add_importfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    import_file = get_object_or_404(ImportFile, pk=pk)
    base_url = request.build_absolute_uri("/")
    context: dict[str, object] = {"file": import_file, "imported": False}
    try:
        if request.method == "POST" and request.POST.get("do") == "discard":
            import_discard(actor=actor, import_file=import_file)
            return redirect("reports:import_upload")
        if request.method == "POST":
            plan = import_apply(actor=actor, import_file=import_file, base_url=base_url)
            context["imported"] = not plan.refused
        elif import_file.state == ImportFile.State.CHECKED:
            plan = import_dry_run(actor=actor, import_file=import_file, base_url=base_url)
        else:
            plan = None
        context["plan"] = plan
    except DomainError as error:
        context["problem"] = error.message
    import_file.refresh_from_db()
    return render(request, "reports/import_detail.html", context)
