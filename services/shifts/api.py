"""
Shifts API: shifts (list, read, plan, edit, cancel, copy, the coverage board, who could
fill one) and sign-ups (list, read, sign up or put someone on, withdraw, arrived). The
same selectors, actions and FilterSets as the phone screens; who may is asked of the
rules (shifts/rules.py); lists keep to the user's sites. The shapes are serializers.py.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from fieldapp.errors import NotFound
from fieldapp.permissions import RequirePerms
from services.accounts.models import User
from services.accounts.requests import request_actor

from . import selectors
from .actions.plan import ShiftPlan
from .actions.shifts import shift_cancel, shift_create, shift_update, shifts_copy
from .actions.signups import signup_arrived, signup_create, signup_withdraw
from .board import board_week, candidates, week_start
from .coverage import coverage_load
from .filters import ShiftFilter, SignUpFilter
from .models import Shift, SignUp
from .serializers import (
    ArrivedSerializer,
    BoardQuerySerializer,
    BoardSerializer,
    CancelSerializer,
    CandidateSerializer,
    CopiedSerializer,
    CopySerializer,
    CreateSerializer,
    PlanSerializer,
    ShiftSerializer,
    SignUpInputSerializer,
    SignUpSerializer,
)


def _actor(request: Request) -> User:
    return request_actor(request)


def _require(request: Request, permission: str, obj: object = None) -> User:
    """The actor, if they may (asked before the input is read: 403, not 400)."""
    actor = request_actor(request)
    if not actor.has_perm(permission, obj):
        raise PermissionDenied
    return actor


class ShiftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The shifts of the user's sites, with what each lacks."""

    permission_classes = [IsAuthenticated, RequirePerms("shifts.view_shift")]
    serializer_class = ShiftSerializer
    filterset_class = ShiftFilter
    queryset = Shift.objects.none()  # the rows come from get_queryset: the user's sites
    lookup_value_regex = "[0-9]+"  # any other id is a 404, not int()'s ValueError

    def get_queryset(self) -> QuerySet[Shift]:
        if getattr(self, "swagger_fake_view", False):
            return Shift.objects.none()
        return selectors.shifts_visible(_actor(self.request)).order_by("starts_at", "id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())) or [])
        context = {**self.get_serializer_context(), "coverages": coverage_load(page)}
        return self.get_paginated_response(ShiftSerializer(page, many=True, context=context).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        shift = selectors.shift_get(user=_actor(request), pk=int(kwargs["pk"]))
        return Response(ShiftSerializer(shift, context=self.get_serializer_context()).data)

    @extend_schema(request=CreateSerializer, responses={201: ShiftSerializer})
    def create(self, request: Request) -> Response:
        actor = _require(request, "shifts.add_shift")
        data = CreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        site = values.pop("site")
        shift = shift_create(actor=actor, site=site, plan=ShiftPlan(**values))
        return Response(ShiftSerializer(shift).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanSerializer, responses={200: ShiftSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        """The whole plan, as on the edit form: those on the shift are told of changes."""
        shift = selectors.shift_get(user=_actor(request), pk=int(pk))
        actor = _require(request, "shifts.change_shift", shift)
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shift = shift_update(actor=actor, shift=shift, plan=data.plan())
        return Response(ShiftSerializer(shift).data)

    @extend_schema(request=CancelSerializer, responses={200: ShiftSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        shift = selectors.shift_get(user=_actor(request), pk=int(pk))
        actor = _require(request, "shifts.change_shift", shift)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shift = shift_cancel(actor=actor, shift=shift, reason=data.validated_data["reason"])
        return Response(ShiftSerializer(shift).data)

    @extend_schema(request=CopySerializer, responses={200: CopiedSerializer})
    @action(detail=False, methods=["post"])
    def copy(self, request: Request) -> Response:
        actor = _require(request, "shifts.add_shift")
        data = CopySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = shifts_copy(
            actor=actor,
            site=values["site"],
            source=values["from_day"],
            target=values["to_day"],
            days=int(values["days"]),
        )
        return Response(
            {
                "created": [shift.pk for shift in result.created],
                "skipped": [{"day": day.isoformat(), "why": why} for day, why in result.skipped],
            }
        )

    @extend_schema(parameters=[BoardQuerySerializer], responses={200: BoardSerializer})
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def board(self, request: Request) -> Response:
        """A site's week, day by day, each shift with its gaps (coordinators, team leads)."""
        actor = _require(request, "shifts.view_board")
        query = BoardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        site = selectors.sites_run_by(actor).filter(pk=query.validated_data["site"]).first()
        if site is None:
            raise NotFound(_("No such site."), code="not_found")
        first = week_start(query.validated_data.get("week") or timezone.localdate())
        week = board_week(user=actor, site=site, first=first)
        coverages = {c.shift.pk: c for day in week.days for c in day.coverages}
        context = {**self.get_serializer_context(), "coverages": coverages}
        days = [
            {
                "day": day.day,
                "shifts": ShiftSerializer(
                    [c.shift for c in day.coverages], many=True, context=context
                ).data,
            }
            for day in week.days
        ]
        return Response({"site": site.pk, "first": first, "gaps": week.gaps, "days": days})

    @extend_schema(responses={200: CandidateSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def candidates(self, request: Request, pk: str) -> Response:
        """Who could fill the shift, best match first (coordinators)."""
        actor = _actor(request)
        shift = selectors.shift_get(user=actor, pk=int(pk))
        return Response(CandidateSerializer(candidates(user=actor, shift=shift), many=True).data)


class SignUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One's own sign-ups; a coordinator's sites' or a team lead's site's too."""

    permission_classes = [IsAuthenticated, RequirePerms("shifts.view_shift")]
    serializer_class = SignUpSerializer
    filterset_class = SignUpFilter
    queryset = SignUp.objects.none()  # the rows come from get_queryset, per user
    lookup_value_regex = "[0-9]+"  # any other id is a 404, not int()'s ValueError

    def get_queryset(self) -> QuerySet[SignUp]:
        if getattr(self, "swagger_fake_view", False):
            return SignUp.objects.none()
        return selectors.signups_visible(_actor(self.request)).order_by("shift__starts_at", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not getattr(self, "swagger_fake_view", False):
            runs = selectors.sites_run_by(_actor(self.request)).values_list("pk", flat=True)
            context["runs_sites"] = set(runs)
        return context

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        signup = selectors.signup_get(user=_actor(request), pk=int(kwargs["pk"]))
        return Response(SignUpSerializer(signup, context=self.get_serializer_context()).data)

    @extend_schema(request=SignUpInputSerializer, responses={201: SignUpSerializer})
    def create(self, request: Request) -> Response:
        """Sign up for a shift (one tap), or, as a coordinator, put a volunteer on one."""
        actor = _actor(request)
        data = SignUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shift = selectors.shift_get(user=actor, pk=data.validated_data["shift"])
        user = None
        if "user" in data.validated_data:
            user = User.objects.filter(pk=data.validated_data["user"]).first()
            if user is None:
                raise serializers.ValidationError({"user": [_("No such volunteer.")]})
        signup = signup_create(actor=actor, shift=shift, user=user)
        context = self.get_serializer_context()
        return Response(SignUpSerializer(signup, context=context).data, status=201)

    @extend_schema(request=None, responses={200: SignUpSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        actor = _actor(request)
        signup = signup_withdraw(actor=actor, signup=selectors.signup_get(user=actor, pk=int(pk)))
        return Response(SignUpSerializer(signup, context=self.get_serializer_context()).data)

    @extend_schema(request=ArrivedSerializer, responses={200: SignUpSerializer})
    @action(detail=True, methods=["post"])
    def arrived(self, request: Request, pk: str) -> Response:
        """The team lead's tap: arrived (or, false, not after all)."""
        actor = _actor(request)
        signup = selectors.signup_get(user=actor, pk=int(pk))
        data = ArrivedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signup = signup_arrived(actor=actor, signup=signup, arrived=data.validated_data["arrived"])
        return Response(SignUpSerializer(signup, context=self.get_serializer_context()).data)
