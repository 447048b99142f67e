from django.http import HttpRequest

from .languages import Language


def languages(request: HttpRequest) -> dict[str, object]:
    """The language picker on every page lists each language in its own script."""
    return {"ui_languages": Language.choices}
