"""
The test run's static files, under their hashed names, as a deployment serves them.

Pages name static files through the manifest that collectstatic writes (settings.STORAGES),
so the run collects them once into a folder of its own. The live server answers /static/
through the staticfiles finders, which know only the apps' plain names: CollectedFinder
finds the collected (hashed) names too, and lists nothing, so collectstatic never copies the
folder into itself.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder


class CollectedFinder(BaseFinder):
    def check(self, **kwargs):  # type: ignore[no-untyped-def]
        return []

    def find(self, path, find_all=False, **kwargs):  # type: ignore[no-untyped-def]
        candidate = Path(settings.STATIC_ROOT) / path
        if candidate.is_file():
            return [str(candidate)] if find_all else str(candidate)
        return []

    def list(self, ignore_patterns):  # type: ignore[no-untyped-def]
        return iter(())


def collected_settings(folder: Path) -> dict[str, object]:
    return {
        "STATIC_ROOT": str(folder),
        "STATICFILES_FINDERS": [
            "django.contrib.staticfiles.finders.FileSystemFinder",
            "django.contrib.staticfiles.finders.AppDirectoriesFinder",
            "tests.static_collected.CollectedFinder",
        ],
    }
