"""
Partners API: coordinators write, medical and legal volunteers read (to pick a service
when referring), others get 403. The rules (partners/rules.py) decide, through the
model permissions.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from fieldapp.languages import Language
from services.accounts.requests import request_actor

from . import actions
from .actions import PARTNER_FIELDS
from .filters import PartnerFilter, PartnerServiceFilter
from .models import Area, Partner, PartnerService
from .selectors import partner_services, partners_visible


class PartnerServiceOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerService
        fields = ["id", "partner", "name", "description", "area", "is_active"]
        read_only_fields = fields


class PartnerOutputSerializer(serializers.ModelSerializer):
    services = PartnerServiceOutputSerializer(many=True, read_only=True)
    contact_phone = serializers.CharField(read_only=True)
    contact_email = serializers.EmailField(read_only=True, allow_blank=True)

    class Meta:
        model = Partner
        fields = ["id", *PARTNER_FIELDS, "services"]
        read_only_fields = fields


class PartnerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=Partner.Kind.choices)
    sms_place = serializers.CharField(max_length=40)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    opening_hours = serializers.CharField(required=False, allow_blank=True, default="")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False, default=list
    )
    contact_name = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default=""
    )
    contact_phone = PhoneNumberField(required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class PartnerServiceInputSerializer(serializers.Serializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    name = serializers.CharField(max_length=120)
    area = serializers.ChoiceField(choices=Area.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


@extend_schema_view(
    create=extend_schema(request=PartnerInputSerializer, responses={201: PartnerOutputSerializer}),
    partial_update=extend_schema(
        request=PartnerInputSerializer, responses={200: PartnerOutputSerializer}
    ),
)
class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Partner organisations with their services nested. Deactivate with is_active=false."""

    serializer_class = PartnerOutputSerializer
    filterset_class = PartnerFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Partner.objects.none()  # for the model permissions; the rows come from below

    def get_queryset(self) -> QuerySet[Partner]:
        return partners_visible(user=request_actor(self.request), include_inactive=True)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PartnerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        partner = actions.partner_create(actor=request_actor(request), **data.validated_data)
        return Response(PartnerOutputSerializer(partner).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partner = self.get_object()
        data = PartnerInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        partner = actions.partner_update(
            actor=request_actor(request), partner=partner, **data.validated_data
        )
        return Response(PartnerOutputSerializer(partner).data)


@extend_schema_view(
    create=extend_schema(
        request=PartnerServiceInputSerializer, responses={201: PartnerServiceOutputSerializer}
    ),
    partial_update=extend_schema(
        request=PartnerServiceInputSerializer, responses={200: PartnerServiceOutputSerializer}
    ),
)
class PartnerServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Services offered by partners; filter by area to pick one for a referral."""

    serializer_class = PartnerServiceOutputSerializer
    filterset_class = PartnerServiceFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = PartnerService.objects.none()

    def get_queryset(self) -> QuerySet[PartnerService]:
        return partner_services(user=request_actor(self.request), include_inactive=True)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PartnerServiceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        service = actions.partner_service_create(actor=request_actor(request), **values)
        body = PartnerServiceOutputSerializer(service).data
        return Response(body, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        service = self.get_object()
        data = PartnerServiceInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("partner", None)  # a service does not move to another partner
        service = actions.partner_service_update(
            actor=request_actor(request), service=service, **values
        )
        return Response(PartnerServiceOutputSerializer(service).data)
