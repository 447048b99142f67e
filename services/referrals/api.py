"""
Referrals API. The medical role reads and changes whole referrals; coordinators list and
read statuses only (a serializer without notes, reasons or services); everyone else 403
(referrals/rules.py). Reads are audited through the selectors; changes through the
actions.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fieldapp.languages import Language
from fieldapp.permissions import RequirePerms
from fieldapp.schema import answer_by_role
from services.accounts.models import User
from services.accounts.requests import request_actor
from services.partners.models import PartnerService
from services.people.models import Person
from services.sites.models import Site

from . import selectors
from .actions import followups as followup_actions
from .actions import referral as referral_actions
from .actions import workflow
from .actions.followups import NOTE_MAX_LENGTH
from .actions.referral import NOTES_MAX_LENGTH
from .actions.workflow import PLACE_MAX_LENGTH
from .filters import FollowUpFilter, ReferralFilter
from .forms import REASON_MAX_LENGTH
from .models import FollowUpTask, ReasonCategory, Referral, ReferralEvent, Urgency


class ReferralPermission(BasePermission):
    """Lists and statuses: referrals.view_status; everything else the medical role's."""

    READ_STATUS = frozenset({"list", "retrieve"})

    def has_permission(self, request: Request, view: APIView) -> bool:
        reading = getattr(view, "action", None) in self.READ_STATUS
        needed = "referrals.view_status" if reading else "referrals.change_referral"
        return request.user.has_perm(needed)


class ReferralStatusSerializer(serializers.ModelSerializer):
    """What coordinators see: no notes, no reason, no service."""

    person: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Referral
        fields = ["id", "person", "status", "urgency", "created_at", "updated_at"]
        read_only_fields = fields


class ReferralEventSerializer(serializers.ModelSerializer):
    by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ReferralEvent
        fields = [
            "status",
            "at",
            "by",
            "reason",
            "appointment_at",
            "appointment_place",
            "interpreter",
        ]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    """The whole referral, with notes and reasons: the medical role only."""

    person: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    service_name = serializers.CharField(source="service.__str__", read_only=True)
    events = ReferralEventSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "person",
            "service",
            "service_name",
            "site",
            "urgency",
            "reason_category",
            "clinical_notes",
            "interpreter_language",
            "consent_to_share",
            "consent_at",
            "status",
            "appointment_at",
            "appointment_place",
            "interpreter",
            "created_at",
            "updated_at",
            "events",
        ]
        read_only_fields = fields


class PersonByCodeField(serializers.SlugRelatedField):
    """A person by card code. No code holds a NUL byte, which PostgreSQL refuses in a query."""

    def to_internal_value(self, data: Any) -> Any:
        if "\x00" in str(data):
            self.fail("does_not_exist", slug_name="code", value=str(data).replace("\x00", ""))
        return super().to_internal_value(data)


class ReferralCreateSerializer(serializers.Serializer):
    person = PersonByCodeField(slug_field="code", queryset=Person.objects.all())
    service = serializers.PrimaryKeyRelatedField(
        queryset=PartnerService.objects.select_related("partner")
    )
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(is_active=True))
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    reason_category = serializers.ChoiceField(choices=ReasonCategory.choices)
    clinical_notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH
    )
    interpreter_language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    consent = serializers.BooleanField(
        help_text="The person agrees to share the referral with the partner. "
        "Needed unless refer is false."
    )
    refer = serializers.BooleanField(
        required=False, default=True, help_text="False keeps the referral as a draft."
    )


class ReferSerializer(serializers.Serializer):
    consent = serializers.BooleanField()


class BookSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=PLACE_MAX_LENGTH
    )
    interpreter = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="A user id from the interpreters action, or null for none. "
        "Left out: the appointment keeps the interpreter it has. 409 if they are not free.",
    )


class InterpretersQuerySerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()


class InterpreterSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH
    )


def _full(referral: Referral) -> Any:
    referral = Referral.objects.prefetch_related("events__by").get(pk=referral.pk)
    return ReferralSerializer(referral).data


_REFERRAL_BY_ROLE = answer_by_role(ReferralSerializer, always=ReferralStatusSerializer.Meta.fields)


@extend_schema_view(
    list=extend_schema(
        responses={200: _REFERRAL_BY_ROLE(many=True)},
        description="Whole referrals for the medical role; coordinators get statuses only "
        "(id, person, status, urgency, dates).",
    ),
    retrieve=extend_schema(responses={200: _REFERRAL_BY_ROLE}),
    create=extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer}),
)
class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, ReferralPermission]
    lookup_value_regex = "[0-9]+"
    filterset_class = ReferralFilter
    queryset = Referral.objects.none()  # the rows come from get_queryset, per user

    def _whole(self) -> bool:
        return request_actor(self.request).has_perm("referrals.view_notes")

    def get_queryset(self) -> QuerySet[Referral]:
        actor = request_actor(self.request)
        if self._whole():
            return selectors.referrals_listable(actor).prefetch_related("events__by")
        return selectors.referral_statuses_listable(actor)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ReferralSerializer if self._whole() else ReferralStatusSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())) or [])
        selectors.referrals_audit_list(user=request_actor(request), referrals=page, view="api")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pk = int(kwargs["pk"])
        actor = request_actor(request)
        if self._whole():
            return Response(_full(selectors.referral_get(user=actor, pk=pk)))
        referral = selectors.referral_status_get(user=actor, pk=pk)
        return Response(ReferralStatusSerializer(referral).data)

    def _referral(self) -> Referral:
        """The referral for a change: the medical role only, not audited as a read."""
        return selectors.referral_get(
            user=request_actor(self.request), pk=int(self.kwargs["pk"]), audit=False
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = referral_actions.referral_create(
            actor=request_actor(request), **data.validated_data
        )
        return Response(_full(referral), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str) -> Response:
        data = ReferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = workflow.referral_refer(
            actor=request_actor(request),
            referral=self._referral(),
            consent=data.validated_data["consent"],
        )
        return Response(_full(referral))

    @extend_schema(request=BookSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def book(self, request: Request, pk: str) -> Response:
        """Book or move the appointment; the SMS reminders follow."""
        data = BookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("interpreter", workflow.KEEP)
        referral = workflow.referral_book(
            actor=request_actor(request), referral=self._referral(), **values
        )
        return Response(_full(referral))

    @extend_schema(
        parameters=[InterpretersQuerySerializer],
        responses={200: InterpreterSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)  # a short list, whole
    def interpreters(self, request: Request, pk: str) -> Response:
        """Who could interpret (by phone) if the appointment were at starts_at."""
        query = InterpretersQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        free = selectors.referral_interpreters_free(
            referral=self._referral(), starts_at=query.validated_data["starts_at"]
        )
        return Response(InterpreterSerializer(free, many=True).data)

    @extend_schema(request=None, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def attended(self, request: Request, pk: str) -> Response:
        referral = workflow.referral_attended(
            actor=request_actor(request), referral=self._referral()
        )
        return Response(_full(referral))

    def _reason(self, request: Request) -> str:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return str(data.validated_data["reason"])

    @extend_schema(request=ReasonSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def missed(self, request: Request, pk: str) -> Response:
        """Needs a reason; opens a follow-up for the medical team."""
        referral = workflow.referral_missed(
            actor=request_actor(request), referral=self._referral(), reason=self._reason(request)
        )
        return Response(_full(referral))

    @extend_schema(request=ReasonSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        """Needs a reason."""
        referral = workflow.referral_decline(
            actor=request_actor(request), referral=self._referral(), reason=self._reason(request)
        )
        return Response(_full(referral))

    @extend_schema(request=ReasonSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        referral = workflow.referral_close(
            actor=request_actor(request), referral=self._referral(), reason=self._reason(request)
        )
        return Response(_full(referral))


class FollowUpSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="referral.person.code", read_only=True)
    done_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = FollowUpTask
        fields = ["id", "referral", "person", "created_at", "done_at", "done_by", "note"]
        read_only_fields = fields


class FollowUpDoneSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH
    )


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-ups after missed appointments, for the medical role. ?open=true for the to-do."""

    permission_classes = [IsAuthenticated, RequirePerms("referrals.view_followuptask")]
    lookup_value_regex = "[0-9]+"
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    queryset = FollowUpTask.objects.none()

    def get_queryset(self) -> QuerySet[FollowUpTask]:
        return selectors.followups_listable(request_actor(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())) or [])
        selectors.referrals_audit_list(
            user=request_actor(request),
            referrals=[task.referral for task in page],
            view="api_follow_ups",
        )
        return self.get_paginated_response(FollowUpSerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = selectors.followup_get(user=request_actor(request), pk=int(kwargs["pk"]))
        return Response(FollowUpSerializer(task).data)

    @extend_schema(request=FollowUpDoneSerializer, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str) -> Response:
        data = FollowUpDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = selectors.followup_get(user=request_actor(request), pk=int(pk), audit=False)
        task = followup_actions.followup_done(
            actor=request_actor(request), task=task, note=data.validated_data["note"]
        )
        return Response(FollowUpSerializer(task).data)
