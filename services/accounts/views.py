"""
A volunteer's own account pages, phone first: accepting an invitation, the profile,
the second factor, and a forgotten password. Thin: the forms read, the actions decide.
"""

from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error

from .actions import invitations
from .actions.passwords import user_password_reset
from .actions.profile import profile_update
from .actions.second_factor import (
    recovery_codes_renew,
    second_factor_verify,
    totp_confirmed,
    totp_setup_confirm,
    totp_setup_start,
)
from .forms import AddressForm, CodeForm, InvitationAcceptForm, ProfileForm
from .middleware import second_factor_not_required
from .requests import request_actor
from .rules import needs_second_factor
from .tasks import password_reset


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationUnusable as error:
        status = 404 if error.code == "unknown" else 410
        return render(request, "accounts/invitation_unusable.html", {"error": error}, status=status)
    user = invitation.user
    initial = {**ProfileForm.initial_of(user), "language": request.LANGUAGE_CODE}
    form = InvitationAcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                profile=form.profile(),
            )
        except invitations.InvitationUnusable as error:
            return render(
                request, "accounts/invitation_unusable.html", {"error": error}, status=410
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            login(request, user, backend="services.accounts.backends.PasswordBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            response = redirect("home")
            _remember_language(response, user.language)
            return response
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


def _remember_language(response: HttpResponse, language: str) -> None:
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )


@permission_required("accounts.change_own_profile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_of(actor))
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(actor=actor, profile=form.profile())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            response = redirect("accounts:profile")
            _remember_language(response, form.cleaned_data["language"])
            return response
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "second_factor": needs_second_factor(actor),
            "sms_stopped": actor.sms_stopped_at is not None,
        },
        status=400 if form.errors else 200,
    )


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_verify_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    next_url = _safe_next(request)
    if not needs_second_factor(actor) or getattr(actor, "is_verified", lambda: False)():
        return redirect(next_url)
    if totp_confirmed(actor) is None:
        return redirect(_with_next("accounts:second_factor_setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = second_factor_verify(user=actor, token=form.cleaned_data["token"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            django_otp.login(request, verified.device)
            if verified.recovery_codes_left is not None:
                messages.warning(
                    request,
                    _(
                        "You used a recovery code: %(left)d left. Make new ones on your "
                        "profile page."
                    )
                    % {"left": verified.recovery_codes_left},
                )
            return redirect(next_url)
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    next_url = _safe_next(request)
    if not needs_second_factor(actor) or totp_confirmed(actor) is not None:
        return redirect(_with_next("accounts:second_factor_verify", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = totp_setup_confirm(user=actor, token=form.cleaned_data["token"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            django_otp.login(request, device)
            return _recovery_codes_page(request, codes, next_url)
    setup = totp_setup_start(user=actor)
    qr = segno.make(setup.config_url, error="m").svg_data_uri(scale=5, border=2)
    return render(
        request,
        "accounts/second_factor_setup.html",
        {"form": form, "next": next_url, "qr": qr, "secret": setup.secret},
        status=400 if form.errors else 200,
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    try:
        codes = recovery_codes_renew(user=actor)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:profile")
    return _recovery_codes_page(request, codes, reverse("accounts:profile"))


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    """
    The same answer, after the same work, for any address: the look-up and the
    message are a task queued once the page has answered.
    """
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address, base_url = form.cleaned_data["address"], _base_url(request)
        transaction.on_commit(lambda: password_reset.delay(address, base_url))
        return redirect("accounts:password_reset_sent")
    return render(
        request,
        "registration/password_reset_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/password_reset_sent.html")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's check of the link (once, in time); the new password through our action."""

    success_url = reverse_lazy("login")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.fields["new_password1"].label = _("New password")
        form.fields["new_password2"].label = _("New password again")
        form.error_messages["password_mismatch"] = _("The two passwords are not the same.")
        for field in form.fields.values():
            field.error_messages["required"] = _("This field is required.")
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        user_password_reset(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your new password is set. Sign in with it."))
        return redirect(self.success_url)
