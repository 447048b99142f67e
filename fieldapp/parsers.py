"""
The API's body parsers: DRF's own, which also drop bidi controls from every string
(fieldapp.text.strip_bidi_controls) and refuse a body nested deeper than Python can read.
"""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .text import without_bidi_controls


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return without_bidi_controls(super().parse(stream, media_type, parser_context))
        except RecursionError:
            # e.g. 100,000 nested "[": the json module gives up; it is not a server fault.
            raise ParseError(_("The request body is nested too deeply.")) from None


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return without_bidi_controls(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(without_bidi_controls(parsed.data), parsed.files)
