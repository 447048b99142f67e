"""
Distributions API: the catalogue, stock, sessions, queue tickets and check-ins.
The phone's offline queue posts to checkins/ with its own UUID; see actions/checkin.py.
Every list is of the asker's sites (selectors.py), filtered by filters.py.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fieldapp.permissions import RequirePerms
from services.accounts.requests import request_actor
from services.people.selectors import person_get
from services.sites.models import Site

from . import filters, selectors
from .actions import checkin as checkin_actions
from .actions import sessions as session_actions
from .actions import stock as stock_actions
from .actions import tickets as ticket_actions
from .actions.catalogue import item_type_save
from .checks import MAX_QUANTITY
from .models import CheckIn, DistributionSession, ItemType, StockBalance, Ticket

# Creating and changing need the model's add_ and change_ permissions (the rules.py
# of each app decides who holds them); the actions below name theirs.
MOVE_STOCK = [RequirePerms("distributions.add_stockmovement")]
RUN_SESSION = [RequirePerms("distributions.change_distributionsession")]


class ItemTypeSerializer(serializers.ModelSerializer):
    display_name = serializers.SerializerMethodField()

    class Meta:
        model = ItemType
        fields = [
            "id",
            "name",
            "names",
            "display_name",
            "category",
            "sizes",
            "audience",
            "min_interval_days",
            "per_session_limit",
            "is_active",
        ]

    def get_display_name(self, item: ItemType) -> str:
        return item.display_name()


class ItemTypeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The catalogue: everyone reads it, coordinators change it."""

    serializer_class = ItemTypeSerializer
    queryset = ItemType.objects.all()
    filterset_class = filters.ItemTypeFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ItemTypeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = item_type_save(actor=request_actor(request), **data.validated_data)
        return Response(ItemTypeSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        data = ItemTypeSerializer(item, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        item = item_type_save(actor=request_actor(request), item=item, **data.validated_data)
        return Response(ItemTypeSerializer(item).data)


class StockBalanceSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.display_name", read_only=True)

    class Meta:
        model = StockBalance
        fields = ["site", "item", "item_name", "size", "quantity"]
        read_only_fields = fields


class StockMoveSerializer(serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(is_active=True))
    item = serializers.PrimaryKeyRelatedField(queryset=ItemType.objects.filter(is_active=True))
    size = serializers.CharField(required=False, allow_blank=True, default="", max_length=12)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    target = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.filter(is_active=True), required=False
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    direction = serializers.ChoiceField(choices=["in", "out"], required=False, default="in")
    write_off = serializers.BooleanField(required=False, default=False)
    donor = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class StockViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Stock on hand (derived from the ledger); receive, transfer and adjust are coordinators'."""

    serializer_class = StockBalanceSerializer
    filterset_class = filters.StockFilter

    def get_queryset(self) -> QuerySet[StockBalance]:
        return selectors.stock_balances(user=self.request.user)

    def _input(self, request: Request) -> dict[str, Any]:
        data = StockMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=StockMoveSerializer, responses={201: None})
    @action(detail=False, methods=["post"], permission_classes=MOVE_STOCK)
    def receive(self, request: Request) -> Response:
        data = self._input(request)
        stock_actions.stock_receive(
            actor=request_actor(request),
            site=data["site"],
            item=data["item"],
            size=data["size"],
            quantity=data["quantity"],
            reason=data["reason"],
            donor=data["donor"],
            expires_on=data["expires_on"],
        )
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(request=StockMoveSerializer, responses={201: None})
    @action(detail=False, methods=["post"], permission_classes=MOVE_STOCK)
    def transfer(self, request: Request) -> Response:
        data = self._input(request)
        if "target" not in data:
            raise serializers.ValidationError(
                {"target": [serializers.Field.default_error_messages["required"]]}
            )
        stock_actions.stock_transfer(
            actor=request_actor(request),
            source=data["site"],
            target=data["target"],
            item=data["item"],
            size=data["size"],
            quantity=data["quantity"],
        )
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(request=StockMoveSerializer, responses={201: None})
    @action(detail=False, methods=["post"], permission_classes=MOVE_STOCK)
    def adjust(self, request: Request) -> Response:
        data = self._input(request)
        change = data["quantity"] if data["direction"] == "in" else -data["quantity"]
        stock_actions.stock_adjust(
            actor=request_actor(request),
            site=data["site"],
            item=data["item"],
            size=data["size"],
            change=change,
            reason=data["reason"],
            write_off=data["write_off"],
        )
        return Response(status=status.HTTP_201_CREATED)


class OfferSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=ItemType.objects.filter(is_active=True))
    sizes = serializers.ListField(
        child=serializers.CharField(max_length=12), required=False, default=list
    )
    limit_per_person = serializers.IntegerField(
        min_value=1, max_value=50, required=False, default=1
    )


class SessionOfferOutputSerializer(serializers.Serializer):
    item = ItemTypeSerializer()
    sizes = serializers.ListField(child=serializers.CharField())
    limit_per_person = serializers.IntegerField()


class SessionSerializer(serializers.ModelSerializer):
    offers = SessionOfferOutputSerializer(many=True, read_only=True)

    class Meta:
        model = DistributionSession
        fields = ["id", "site", "date", "starts_at", "ends_at", "status", "choose_limit", "offers"]
        read_only_fields = fields


class SessionInputSerializer(serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(is_active=True))
    date = serializers.DateField()
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    choose_limit = serializers.IntegerField(
        min_value=1, max_value=50, required=False, allow_null=True
    )
    offers = OfferSerializer(many=True)


class EntitlementOfferSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    name = serializers.CharField(source="item.display_name")
    sizes = serializers.ListField(child=serializers.CharField())
    limit = serializers.IntegerField()
    taken_today = serializers.IntegerField()
    allowed_now = serializers.IntegerField()
    next_allowed = serializers.DateField(allow_null=True)


class HandoutSerializer(serializers.Serializer):
    item = serializers.CharField(source="item.display_name")
    size = serializers.CharField()
    quantity = serializers.IntegerField()
    given_at = serializers.DateTimeField()


class EntitlementsSerializer(serializers.Serializer):
    person = serializers.DictField()
    recent = HandoutSerializer(many=True)
    offers = EntitlementOfferSerializer(many=True)


class DemandSerializer(serializers.Serializer):
    item = serializers.CharField(source="item.display_name")
    size = serializers.CharField()
    waiting = serializers.IntegerField()
    on_hand = serializers.IntegerField()


class TicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "session", "number", "item", "size", "status", "issued_at", "called_at"]
        read_only_fields = fields


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SessionSerializer
    filterset_class = filters.SessionFilter

    def get_queryset(self) -> QuerySet[DistributionSession]:
        return selectors.sessions_visible(user=self.request.user).prefetch_related("offers__item")

    @extend_schema(request=SessionInputSerializer, responses={201: SessionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = session_actions.session_plan(
            actor=request_actor(request),
            site=values["site"],
            day=values["date"],
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            choose_limit=values.get("choose_limit"),
            offers=[
                session_actions.Offer(o["item"], o["sizes"], o["limit_per_person"])
                for o in values["offers"]
            ],
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    def _set_status(self, request: Request, new_status: str) -> Response:
        session = session_actions.session_set_status(
            actor=request_actor(request),
            session=self.get_object(),
            status=new_status,
        )
        return Response(SessionSerializer(session).data)

    @extend_schema(request=None, responses={200: SessionSerializer})
    @action(detail=True, methods=["post"], permission_classes=RUN_SESSION)
    def open(self, request: Request, pk: str) -> Response:
        return self._set_status(request, DistributionSession.Status.OPEN)

    @extend_schema(request=None, responses={200: SessionSerializer})
    @action(detail=True, methods=["post"], permission_classes=RUN_SESSION)
    def close(self, request: Request, pk: str) -> Response:
        return self._set_status(request, DistributionSession.Status.CLOSED)

    @extend_schema(request=None, responses={201: None})
    @action(detail=True, methods=["post"], permission_classes=RUN_SESSION)
    def announce(self, request: Request, pk: str) -> Response:
        broadcast = session_actions.session_announce(
            actor=request_actor(request), session=self.get_object()
        )
        return Response({"broadcast": broadcast.pk, "recipients": broadcast.recipients}, status=201)

    @extend_schema(
        parameters=[OpenApiParameter("person", str, required=True, description="Card code.")],
        responses={200: EntitlementsSerializer},
    )
    @action(detail=True, methods=["get"])
    def entitlements(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        person = person_get(user=request.user, code=request.query_params.get("person", ""))
        entitled = selectors.person_entitlements(person=person, session=session)
        body = {
            "person": {"code": person.code, "name": person.name, "language": person.language},
            "recent": HandoutSerializer(entitled.recent, many=True).data,
            "offers": EntitlementOfferSerializer(entitled.applying(), many=True).data,
        }
        return Response(body)

    @extend_schema(responses={200: DemandSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)  # one row per item
    def demand(self, request: Request, pk: str) -> Response:
        rows = selectors.ticket_demand(session=self.get_object())
        return Response(DemandSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={200: TicketSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="call-next",
        permission_classes=[RequirePerms("distributions.change_ticket")],
    )
    def call_next(self, request: Request, pk: str) -> Response:
        ticket = ticket_actions.ticket_call_next(session=self.get_object())
        if ticket is None:
            return Response(
                {"code": "no_one_waiting", "detail": gettext("Nobody is waiting.")}, status=404
            )
        return Response(TicketSerializer(ticket).data)


class TicketInputSerializer(serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(queryset=DistributionSession.objects.all())
    item = serializers.PrimaryKeyRelatedField(
        queryset=ItemType.objects.all(), required=False, allow_null=True
    )
    size = serializers.CharField(required=False, allow_blank=True, default="", max_length=12)


class TicketViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = TicketSerializer
    filterset_class = filters.TicketFilter

    def get_queryset(self) -> QuerySet[Ticket]:
        return selectors.tickets_visible(user=self.request.user)

    @extend_schema(request=TicketInputSerializer, responses={201: TicketSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TicketInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = data.validated_data["session"]
        if not request.user.has_perm("distributions.add_ticket", session):
            raise PermissionDenied
        ticket = ticket_actions.ticket_issue(
            session=session,
            item=data.validated_data.get("item"),
            size=data.validated_data["size"],
        )
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class LineSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)
    size = serializers.CharField(required=False, allow_blank=True, default="", max_length=12)
    quantity = serializers.IntegerField(min_value=1, max_value=50, default=1)


class CheckInInputSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="Made by the phone; the same UUID twice records once.")
    session = serializers.IntegerField(min_value=1)
    person = serializers.CharField(max_length=20, help_text="The card code.")
    items = LineSerializer(many=True, allow_empty=False)
    recorded_at = serializers.DateTimeField(required=False, allow_null=True)
    offline = serializers.BooleanField(required=False, default=False)
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )


class CheckInSerializer(serializers.Serializer):
    """
    Output only. Declared fields, not a ModelSerializer: this answers every check-in,
    and building a ModelSerializer's fields from the model costs more than the rest of
    the rendering.
    """

    uuid = serializers.UUIDField(source="client_uuid", read_only=True)
    session = serializers.IntegerField(source="session_id", read_only=True)
    person = serializers.CharField(source="person.code", read_only=True)
    status = serializers.ChoiceField(choices=CheckIn.Status.choices, read_only=True)
    conflict_reason = serializers.CharField(read_only=True)
    override_reason = serializers.CharField(read_only=True)
    requested = serializers.JSONField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ResolveSerializer(serializers.Serializer):
    apply = serializers.BooleanField()
    reason = serializers.CharField(max_length=200)


class CheckInViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CheckInSerializer
    lookup_field = "client_uuid"
    # Django's uuid path converter: anything else is a 404, not a ValidationError.
    lookup_value_regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    filterset_class = filters.CheckInFilter

    def get_queryset(self) -> QuerySet[CheckIn]:
        if self.action == "create":  # lists nothing: its permission check needs only the model
            return CheckIn.objects.none()
        return selectors.checkins_visible(user=self.request.user)

    @extend_schema(
        request=CheckInInputSerializer, responses={201: CheckInSerializer, 200: CheckInSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CheckInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        request_started = timezone.now()
        checkin = checkin_actions.checkin_record(
            actor=request_actor(request),
            session_id=values["session"],
            person_code=values["person"],
            lines=[
                checkin_actions.Line(ln["item"], ln["size"], ln["quantity"])
                for ln in values["items"]
            ],
            client_uuid=values["uuid"],
            client_recorded_at=values.get("recorded_at"),
            override_reason=values["override_reason"],
            offline=values["offline"],
        )
        created = checkin.created_at >= request_started
        return Response(CheckInSerializer(checkin).data, status=201 if created else 200)

    @extend_schema(request=ResolveSerializer, responses={200: CheckInSerializer})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[RequirePerms("distributions.change_checkin")],
    )
    def resolve(self, request: Request, client_uuid: str) -> Response:
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = checkin_actions.checkin_resolve(
            actor=request_actor(request),
            checkin=self.get_object(),
            apply=data.validated_data["apply"],
            reason=data.validated_data["reason"],
        )
        return Response(CheckInSerializer(checkin).data)
