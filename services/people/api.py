"""People API: the same actions and selectors as the phone UI."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from phonenumber_field.phonenumber import PhoneNumber
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from fieldapp.languages import Language
from services.accounts.requests import request_actor
from services.sites.models import Site

from . import actions, selectors
from .filters import PersonFilter
from .models import Person
from .phones import INVALID_PHONE_MESSAGE, phone_parse


class PhoneSerializerField(serializers.CharField):
    default_error_messages = {
        "invalid_phone": INVALID_PHONE_MESSAGE,
    }

    def to_internal_value(self, data: Any) -> PhoneNumber | None:  # type: ignore[override]  # a phone, not str
        text = super().to_internal_value(data)
        if not text:
            return None
        number = phone_parse(text)
        if number is None:
            self.fail("invalid_phone")
        return number

    def to_representation(self, value: Any) -> str:
        return str(value) if value else ""


class PersonOutputSerializer(serializers.ModelSerializer):
    home_site: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    phone = PhoneSerializerField(read_only=True, help_text="E.164, empty when not known.")

    class Meta:
        model = Person
        fields = [
            "code",
            "name",
            "phone",
            "language",
            "sms_consent",
            "sms_consent_changed_at",
            "home_site",
            "created_at",
            "last_seen_at",
        ]
        read_only_fields = fields


class PersonInputSerializer(serializers.Serializer):
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=500, trim_whitespace=True
    )
    phone = PhoneSerializerField(required=False, allow_blank=True, allow_null=True)
    language = serializers.ChoiceField(
        choices=Language.choices,
        error_messages={"invalid_choice": _("Choose one of the listed languages.")},
    )
    sms_consent = serializers.BooleanField(required=False, default=False)
    home_site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(),
        error_messages={"does_not_exist": _("There is no site with this id.")},
    )
    allow_shared_phone = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="Set after a 409 phone_in_use when the other record is a different person.",
    )
    move_phone = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text=(
            "Set after a 409 phone_in_use when the number now belongs to this person: it "
            "is taken off the other records, whose SMS stop."
        ),
    )


class PersonUpdateSerializer(PersonInputSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["sms_consent"].default = serializers.empty
        self.fields["allow_shared_phone"].default = False
        self.fields["move_phone"].default = False


@extend_schema_view(
    create=extend_schema(request=PersonInputSerializer, responses={201: PersonOutputSerializer}),
    partial_update=extend_schema(
        request=PersonUpdateSerializer, responses={200: PersonOutputSerializer}
    ),
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """
    The list holds the people of the caller's sites (every site for coordinators); `q`
    searches among them by name, phone or the start of a card code. GET /people/{code}/
    opens a person by their whole card code wherever they were registered: the card is
    the person's own proof.
    """

    serializer_class = PersonOutputSerializer
    filterset_class = PersonFilter
    lookup_field = "code"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.person_list(user=self.request.user)

    def get_object(self) -> Person:
        person = selectors.person_get(user=self.request.user, code=self.kwargs["code"])
        self.check_object_permissions(self.request, person)
        return person

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Opening a person is a read in the audit log, as on their page."""
        person = selectors.person_read(user=request.user, code=self.kwargs["code"])
        self.check_object_permissions(request, person)
        return Response(PersonOutputSerializer(person).data)

    def paginate_queryset(self, queryset: Any) -> Any:
        """The people a search (`q`) shows are recorded in the audit log, one entry each."""
        page = super().paginate_queryset(queryset)
        if page is not None and self.request.query_params.get("q", "").strip():
            selectors.people_found(user=self.request.user, people=list(page))
        return page

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = actions.person_register(actor=request_actor(request), **values)
        return Response(PersonOutputSerializer(person).data, status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        data = PersonUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = actions.person_update(actor=request_actor(request), person=person, **values)
        return Response(PersonOutputSerializer(person).data)
