"""Sites API: everyone signed in reads the sites they work at; coordinators manage them."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from fieldapp.types import request_account

from . import actions
from .filters import SiteFilter
from .models import Site
from .selectors import site_list_for


class SiteOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "kind", "area", "is_active"]
        read_only_fields = fields


class SiteInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=Site.Kind.choices)
    area = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


@extend_schema_view(
    create=extend_schema(request=SiteInputSerializer, responses={201: SiteOutputSerializer}),
    partial_update=extend_schema(
        request=SiteInputSerializer, responses={200: SiteOutputSerializer}
    ),
)
class SiteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """
    Everyone signed in reads the sites they work at (coordinators: every site, closed
    ones too); coordinators add and change them.
    """

    serializer_class = SiteOutputSerializer
    filterset_class = SiteFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Site]:
        """Asked twice a request (the permission class wants the model): answered once."""
        if not hasattr(self, "_sites"):
            self._sites = site_list_for(user=self.request.user)
        return self._sites.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = SiteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site = actions.site_create(actor=request_account(request), **data.validated_data)
        return Response(SiteOutputSerializer(site).data, status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        site = self.get_object()
        data = SiteInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        site = actions.site_update(actor=request_account(request), site=site, **data.validated_data)
        return Response(SiteOutputSerializer(site).data)
