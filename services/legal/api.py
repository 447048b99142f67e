"""
Legal API: one's own availability, the slots offered for a language, and appointments
with their status changes. What a role reads is the same as on the phone screens:
FULL everything, STATUS no case type and no notes, an interpreter their own bookings'
time, place, person and language.
"""

from typing import Any, cast

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from fieldapp.errors import DomainError
from fieldapp.languages import Language
from services.accounts.models import User
from services.casework.access import Access, Area, area_access, area_require
from services.people.selectors import person_get
from services.sites.models import Site

from . import actions, selectors
from .models import Appointment, Availability
from .slots import slots_offer


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _require(request: Request, at_least: Access) -> Access:
    return area_require(request.user, Area.LEGAL, at_least)


class LegalAccess(BasePermission):
    """Some access to legal records (services.casework.access); each view narrows it."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return area_access(request.user, Area.LEGAL) >= Access.UPCOMING


PERMISSIONS = [IsAuthenticated, LegalAccess]


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

    permission_classes = PERMISSIONS
    serializer_class = AvailabilitySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        _require(self.request, Access.UPCOMING)
        return selectors.availability_of(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, Access.UPCOMING)
        data = AvailabilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        row = actions.availability_add(
            actor=_actor(request),
            role=values["role"],
            weekday=values.get("weekday"),
            day=values.get("date"),
            start_time=values["start_time"],
            end_time=values["end_time"],
            site=values.get("site"),
        )
        return Response(AvailabilitySerializer(row).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, Access.UPCOMING)
        row = selectors.availability_get(user=request.user, pk=int(kwargs["pk"]))
        actions.availability_remove(actor=_actor(request), availability=row)
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

    permission_classes = PERMISSIONS
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
        _require(request, Access.FULL)
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


_SERIALIZERS = {
    Access.FULL: AppointmentSerializer,
    Access.STATUS: AppointmentStatusSerializer,
    Access.UPCOMING: AppointmentInterpreterSerializer,
}


class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Legal appointments; every read is audited."""

    permission_classes = PERMISSIONS
    serializer_class = AppointmentSerializer
    filterset_fields = ["status", "language"]

    def _access(self) -> Access:
        return _require(self.request, Access.UPCOMING)

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return AppointmentSerializer
        return _SERIALIZERS[self._access()]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        self._access()
        return selectors.appointments_visible(self.request.user).order_by("starts_at", "id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", response.data)  # type: ignore[union-attr]
        selectors.appointments_listed(
            user=_actor(request),
            appointments=list(Appointment.objects.filter(pk__in=[row["id"] for row in rows])),
            view="api",
        )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._access()
        appointment = selectors.appointment_read(user=_actor(request), pk=int(kwargs["pk"]))
        return Response(self.get_serializer(appointment).data)

    @extend_schema(request=BookSerializer, responses={201: AppointmentSerializer})
    def create(self, request: Request) -> Response:
        _require(request, Access.FULL)
        data = BookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            person = person_get(user=request.user, code=values["person"])
        except DomainError as error:
            raise serializers.ValidationError({"person": [error.message]}) from error
        appointment = actions.appointment_book(
            actor=_actor(request),
            person=person,
            language=values.get("language") or person.language,
            slot=actions.SlotChoice.parse(values["slot"]),
            case_type=values["case_type"],
            notes=values["notes"],
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def _own(self, request: Request, pk: str) -> Appointment:
        self._access()
        appointment = selectors.appointment_get(user=request.user, pk=int(pk))
        _require(request, Access.FULL)
        return appointment

    @extend_schema(request=StatusInputSerializer, responses={200: AppointmentSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str) -> Response:
        appointment = self._own(request, pk)
        data = StatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = actions.appointment_set_status(
            actor=_actor(request), appointment=appointment, status=data.validated_data["status"]
        )
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(request=RescheduleSerializer, responses={200: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str) -> Response:
        appointment = self._own(request, pk)
        data = RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = actions.appointment_reschedule(
            actor=_actor(request),
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
            actor=_actor(request), appointment=appointment, **data.validated_data
        )
        return Response(AppointmentSerializer(appointment).data)
