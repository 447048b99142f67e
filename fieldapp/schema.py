"""
OpenAPI schema: every operation documents its error responses in the shape that
fieldapp.errors.api_exception_handler produces.
"""

from typing import Any

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
    "404": "No such record, or not one this user may see.",
    "409": "The change clashes with another record.",
}


class FieldAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction=direction)
        codes = ["400", "401", "403"]
        if "{" in self.path:
            codes.append("404")
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
