"""
Legal API: one's own availability, the slots offered for a language, and appointments
with their status changes. What a role reads is the same as on the phone screens
(legal/rules.py): the legal role everything, coordinators no case type and no notes,
an interpreter their own bookings' time, place, person and language.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from fieldapp.errors import DomainError
from fieldapp.languages import Language
from fieldapp.permissions import RequirePerms
from fieldapp.schema import answer_by_role
from services.accounts.requests import request_actor
from services.people.selectors import person_get
from services.scheduling import actions as scheduling_actions
from services.scheduling import selectors as scheduling_selectors
from services.scheduling.models import Availability
from services.scheduling.slots import slots_offer
from services.sites.models import Site

from . import actions, selectors
from .filters import AppointmentFilter
from .models import Appointment


def _require(request: Request, permission: str, appointment: Appointment | None = None) -> None:
    if not request_actor(request).has_perm(permission, appointment):
        raise PermissionDenied


class AvailabilitySerializer(serializers.ModelSerializer):
    date = serializers.DateField(required=False, allow_null=True)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.filter(is_active=True), required=False, allow_null=True
    )

    class Meta:
        model = Availability
        fields = ["id", "role", "repeat", "weekday", "date", "start_time", "end_time", "site"]
        read_only_fields = ["id", "repeat"]


class AvailabilityViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's own availability, as advisor (legal role) or interpreter."""

    permission_classes = [IsAuthenticated, RequirePerms("scheduling.view_availability")]
    serializer_class = AvailabilitySerializer
    queryset = Availability.objects.none()  # the rows come from get_queryset: one's own
    lookup_value_regex = "[0-9]+"  # any other id is a 404, not int()'s ValueError

    def get_queryset(self) -> QuerySet[Availability]:
        return scheduling_selectors.availability_of(request_actor(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, "scheduling.add_availability")
        data = AvailabilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        row = scheduling_actions.availability_add(
            actor=request_actor(request),
            role=values["role"],
            weekday=values.get("weekday"),
            day=values.get("date"),
            start_time=values["start_time"],
            end_time=values["end_time"],
            site=values.get("site"),
        )
        return Response(AvailabilitySerializer(row).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request_actor(request)
        row = scheduling_selectors.availability_get(user=actor, pk=int(kwargs["pk"]))
        scheduling_actions.availability_remove(actor=actor, availability=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SlotSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Post this back as `slot` to book it.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    site = serializers.IntegerField(source="site.pk", allow_null=True, default=None)
    place = serializers.SerializerMethodField()
    advisor = serializers.CharField(source="advisor.username")
    interpreter = serializers.CharField(source="interpreter.username", default=None)

    def get_place(self, slot: Any) -> str:
        return str(selectors.place_label(slot.site))


class SlotQuerySerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    first = serializers.DateField(required=False)
    days = serializers.IntegerField(min_value=1, max_value=31, required=False, default=7)


class SlotViewSet(viewsets.GenericViewSet):
    """Slots where an advisor, and an interpreter if needed, are free (legal role)."""

    permission_classes = [IsAuthenticated, RequirePerms("legal.add_appointment")]
    serializer_class = SlotSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("language", str, required=True),
            OpenApiParameter("first", str, description="YYYY-MM-DD, default today"),
            OpenApiParameter("days", int, description="1 to 31, default 7"),
        ],
        responses=SlotSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        first = max(query.validated_data.get("first") or today, today)
        slots = slots_offer(
            language=query.validated_data["language"],
            first=first,
            days=query.validated_data["days"],
        )
        return Response(SlotSerializer(slots, many=True).data)


class AppointmentStatusSerializer(serializers.ModelSerializer):
    """What coordinators read: no case type, no notes."""

    person: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    advisor = serializers.CharField(source="advisor.username", read_only=True)
    interpreter = serializers.CharField(source="interpreter.username", read_only=True, default=None)
    place = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "person",
            "starts_at",
            "ends_at",
            "site",
            "place",
            "language",
            "advisor",
            "interpreter",
            "status",
        ]
        read_only_fields = fields

    def get_place(self, appointment: Appointment) -> str:
        return str(selectors.place_label(appointment.site))


class AppointmentInterpreterSerializer(AppointmentStatusSerializer):
    """What an interpreter reads of their own bookings: when, where, who, which language."""

    class Meta(AppointmentStatusSerializer.Meta):
        fields = ["id", "person", "starts_at", "ends_at", "site", "place", "language"]
        read_only_fields = fields


class AppointmentSerializer(AppointmentStatusSerializer):
    """Everything, for the legal role."""

    class Meta(AppointmentStatusSerializer.Meta):
        fields = [*AppointmentStatusSerializer.Meta.fields, "case_type", "notes", "outcome_notes"]
        read_only_fields = fields


class BookSerializer(serializers.Serializer):
    person = serializers.CharField(max_length=12, help_text="The person's card code.")
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    slot = serializers.CharField(max_length=120, help_text="A key from legal/slots/.")
    case_type = serializers.ChoiceField(choices=Appointment.CaseType.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class StatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Appointment.Status.choices)


class RescheduleSerializer(serializers.Serializer):
    slot = serializers.CharField(max_length=120)


class NotesSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, max_length=4000)
    outcome_notes = serializers.CharField(allow_blank=True, max_length=4000)


def _serializer_for(request: Request) -> type[AppointmentStatusSerializer]:
    """What the user may read of an appointment: the whole, its status, or its time."""
    actor = request_actor(request)
    if actor.has_perm("legal.view_notes"):
        return AppointmentSerializer
    if actor.has_perm("legal.view_status"):
        return AppointmentStatusSerializer
    return AppointmentInterpreterSerializer


_APPOINTMENT_BY_ROLE = answer_by_role(
    AppointmentSerializer, always=AppointmentInterpreterSerializer.Meta.fields
)


@extend_schema_view(
    list=extend_schema(responses={200: _APPOINTMENT_BY_ROLE}),
    retrieve=extend_schema(responses={200: _APPOINTMENT_BY_ROLE}),
)
class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Legal appointments; every read is audited."""

    permission_classes = [IsAuthenticated, RequirePerms("legal.view_upcoming")]
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilter
    queryset = Appointment.objects.none()  # the rows come from get_queryset, per user
    lookup_value_regex = "[0-9]+"  # any other id is a 404, not int()'s ValueError

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if getattr(self, "swagger_fake_view", False):
            return AppointmentSerializer
        return _serializer_for(self.request)

    def get_queryset(self) -> QuerySet[Appointment]:
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        actor = request_actor(self.request)
        return selectors.appointments_listable(actor).order_by("starts_at", "id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())) or [])
        selectors.appointments_listed(user=request_actor(request), appointments=page, view="api")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request_actor(request)
        appointment = selectors.appointment_read(user=actor, pk=int(kwargs["pk"]))
        return Response(self.get_serializer(appointment).data)

    @extend_schema(request=BookSerializer, responses={201: AppointmentSerializer})
    def create(self, request: Request) -> Response:
        _require(request, "legal.add_appointment")
        data = BookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actor = request_actor(request)
        try:
            person = person_get(user=actor, code=values["person"])
        except DomainError as error:
            raise serializers.ValidationError({"person": [error.message]}) from error
        appointment = actions.appointment_book(
            actor=actor,
            person=person,
            language=values.get("language") or person.language,
            slot=actions.SlotChoice.parse(values["slot"]),
            case_type=values["case_type"],
            notes=values["notes"],
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def _own(self, request: Request, pk: str) -> Appointment:
        """The appointment to change: 404 if it is not visible, 403 if not the legal role's."""
        appointment = selectors.appointment_get(user=request_actor(request), pk=int(pk))
        _require(request, "legal.change_appointment", appointment)
        return appointment

    @extend_schema(request=StatusInputSerializer, responses={200: AppointmentSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str) -> Response:
        appointment = self._own(request, pk)
        data = StatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = actions.appointment_set_status(
            actor=request_actor(request),
            appointment=appointment,
            status=data.validated_data["status"],
        )
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(request=RescheduleSerializer, responses={200: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str) -> Response:
        appointment = self._own(request, pk)
        data = RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = actions.appointment_reschedule(
            actor=request_actor(request),
            appointment=appointment,
            slot=actions.SlotChoice.parse(data.validated_data["slot"]),
        )
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(request=NotesSerializer, responses={200: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str) -> Response:
        appointment = self._own(request, pk)
        data = NotesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = actions.appointment_notes_update(
            actor=request_actor(request), appointment=appointment, **data.validated_data
        )
        return Response(AppointmentSerializer(appointment).data)
