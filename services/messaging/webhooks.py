"""
Twilio's webhooks: delivery status callbacks and inbound replies.

Both refuse any request without a valid X-Twilio-Signature (403), and both are
idempotent, since Twilio retries: statuses never move a message backwards, and a reply
is recorded once per MessageSid.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from fieldapp.middleware import input_as_sent

from .actions.provider import message_status_update
from .actions.replies import inbound_receive


def _signed_by_twilio(request: HttpRequest) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    base = settings.SMS_PUBLIC_BASE_URL.rstrip("/")
    url = f"{base}{request.get_full_path()}" if base else request.build_absolute_uri()
    return RequestValidator(token).validate(url, request.POST.dict(), signature)


def _refused(message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": "refused", "detail": message}, status=status)


@input_as_sent
@csrf_exempt
@login_not_required
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _signed_by_twilio(request):
        return _refused(_("This request is not signed by the SMS provider."), 403)
    sid = request.POST.get("MessageSid", "")
    status = request.POST.get("MessageStatus", "")
    if not sid or not status:
        return _refused(_("MessageSid and MessageStatus are required."), 400)
    message_status_update(
        provider_message_id=sid[:64],
        status=status[:20],
        error_code=request.POST.get("ErrorCode", "")[:16],
    )
    return HttpResponse(status=204)


@input_as_sent
@csrf_exempt
@login_not_required
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not _signed_by_twilio(request):
        return _refused(_("This request is not signed by the SMS provider."), 403)
    sid = request.POST.get("MessageSid", "")
    if not sid:
        return _refused(_("MessageSid is required."), 400)
    inbound_receive(
        provider_message_id=sid[:64],
        from_phone=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
    )
    # An empty TwiML answer: confirmations go through the outbox, in the person's language.
    return HttpResponse("<Response/>", content_type="text/xml")
