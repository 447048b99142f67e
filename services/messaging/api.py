"""Messaging API: the message log, replies, and broadcasts (preview, then send)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from services.accounts.requests import request_actor
from services.sites.models import Site

from . import selectors
from .actions.broadcast import broadcast_preview, broadcast_send
from .filters import InboundMessageFilter, MessageFilter
from .forms import ANNOUNCEMENT_KINDS, PLACE_MAX_LENGTH
from .models import Broadcast, InboundMessage, Message
from .sms_templates import Kind


class MessageSerializer(serializers.ModelSerializer):
    person: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    to_phone = serializers.CharField(read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "idempotency_key",
            "kind",
            "person",
            "to_phone",
            "language",
            "rendered_language",
            "status",
            "send_at",
            "sent_at",
            "delivered_at",
            "attempts",
            "segments",
            "encoding",
            "error_code",
            "error_reason",
            "provider_message_id",
        ]
        read_only_fields = fields


class MessageViewSet(viewsets.ReadOnlyModelViewSet):
    """The SMS log, for coordinators (messaging.view_message)."""

    serializer_class = MessageSerializer
    filterset_class = MessageFilter

    def get_queryset(self) -> QuerySet[Message]:
        return selectors.message_log(user=self.request.user)


class InboundMessageSerializer(serializers.ModelSerializer):
    people: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    from_phone = serializers.CharField(read_only=True)

    class Meta:
        model = InboundMessage
        fields = [
            "id",
            "provider_message_id",
            "from_phone",
            "body",
            "action",
            "people",
            "received_at",
        ]
        read_only_fields = fields


class InboundMessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Replies, for coordinators (messaging.view_inboundmessage)."""

    serializer_class = InboundMessageSerializer
    filterset_class = InboundMessageFilter

    def get_queryset(self) -> QuerySet[InboundMessage]:
        return selectors.inbound_log(user=self.request.user)


class BroadcastInputSerializer(serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(is_active=True))
    # Announcements from templates; an urgent message is written on the screen.
    kind = serializers.ChoiceField(
        choices=[choice for choice in ANNOUNCEMENT_KINDS if choice[0] != Kind.URGENT_NOTICE]
    )
    date = serializers.CharField(
        max_length=10,
        help_text=(
            "The day as YYYY-MM-DD, written in words in each reader's language "
            "(e.g. 'Sat 28 November'); any other text is sent as given."
        ),
    )
    time = serializers.CharField(max_length=5, required=False, help_text="e.g. 15:00.")
    place = serializers.CharField(max_length=PLACE_MAX_LENGTH, required=False, allow_blank=True)

    def message_context(self) -> dict[str, str]:
        data = self.validated_data
        context = {"date": data["date"], "place": data.get("place") or data["site"].name}
        if data.get("time"):
            context["time"] = data["time"]
        return context


class LanguagePreviewSerializer(serializers.Serializer):
    language = serializers.CharField()
    rendered_language = serializers.CharField()
    chain = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()
    encoding = serializers.CharField()
    segments = serializers.IntegerField()
    recipients = serializers.IntegerField()


class BroadcastPreviewSerializer(serializers.Serializer):
    languages = LanguagePreviewSerializer(many=True)
    recipients = serializers.IntegerField()
    segments = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=10, decimal_places=4)
    currency = serializers.CharField()


class BroadcastSerializer(serializers.ModelSerializer):
    class Meta:
        model = Broadcast
        fields = ["id", "site", "kind", "context", "recipients", "segments", "created_at"]
        read_only_fields = fields


class BroadcastViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Announcements: POST preview/ to see texts and cost, POST to send."""

    serializer_class = BroadcastSerializer

    def get_queryset(self) -> QuerySet[Broadcast]:
        return selectors.broadcast_list(user=self.request.user)

    @extend_schema(request=BroadcastInputSerializer, responses={200: BroadcastPreviewSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        data = BroadcastInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preview = broadcast_preview(
            site=data.validated_data["site"],
            kind=data.validated_data["kind"],
            context=data.message_context(),
        )
        return Response(BroadcastPreviewSerializer(preview).data)

    @extend_schema(request=BroadcastInputSerializer, responses={201: BroadcastSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = BroadcastInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        broadcast = broadcast_send(
            actor=request_actor(request),
            site=data.validated_data["site"],
            kind=data.validated_data["kind"],
            context=data.message_context(),
        )
        return Response(BroadcastSerializer(broadcast).data, status=status.HTTP_201_CREATED)
