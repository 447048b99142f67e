"""
Static files named by their content's hash in production, so nginx lets browsers keep
them a year (deploy/nginx/fieldapp.conf) and a new version's files are fetched at once.

Django's ManifestStaticFilesStorage, except that a file `collectstatic` has not written
(a run with DEBUG=0 that serves no static files: the benchmarks, `check --deploy`) is
linked by its plain name instead of failing the whole page with a 500.
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class HashedStaticFilesStorage(ManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # neither in the manifest nor in STATIC_ROOT
            return name
