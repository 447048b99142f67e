"""
OpenAPI schema: every operation documents its error responses in the shape that
fieldapp.errors.api_exception_handler produces.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable reason, e.g. invalid, not_found.")
    detail = serializers.CharField(help_text="What went wrong, in the request's language.")
    fields = serializers.DictField(  # type: ignore[assignment]  # the body's key shadows .fields
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per input field, for validation errors.",
    )
    existing = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Codes of the records that already use a value (phone_in_use).",
    )


_ERRORS = {
    "400": "The input was not valid; nothing was changed.",
    "401": "Not signed in, or the token is wrong.",
    "403": "Signed in, but this role may not do this.",
    "404": "No such record (in the path, the query or the body), or not one this user may "
    "see; or a page past the last.",
    "409": "The change clashes with another record.",
}


def answer_by_role(
    serializer_class: type[serializers.Serializer], *, always: list[str]
) -> type[serializers.Serializer]:
    """
    For the schema only: an answer whose fields depend on who reads it. serializer_class
    has every field; those in `always` are in every answer, the others only for the
    roles that may read them (so the schema marks them optional).
    """

    def get_fields(self: serializers.Serializer) -> dict[str, serializers.Field]:
        fields = serializer_class.get_fields(self)
        for name, field in fields.items():
            if name not in always:
                field.read_only, field.required = False, False
        return fields

    name = serializer_class.__name__.removesuffix("Serializer") + "ByRoleSerializer"
    return type(name, (serializer_class,), {"get_fields": get_fields})


class FieldAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction=direction)
        codes = ["400", "401", "403", "404"]
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.append("409")
        for code in codes:
            responses.setdefault(
                code,
                {
                    **self._get_response_for_code(ErrorSerializer, code, direction=direction),
                    "description": _ERRORS[code],
                },
            )
        return responses


class LocalTimeField(OpenApiSerializerFieldExtension):
    """
    A time of day is local (Europe/Paris) and has no offset: "09:30:00". OpenAPI's
    format "time" is RFC 3339's full-time, which requires an offset.
    """

    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
            "example": "09:30:00",
        }
