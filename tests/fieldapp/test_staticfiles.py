"""Hashed static file names in production, and a plain name rather than a 500 without them."""

from django.core.management import call_command

from fieldapp.staticfiles import HashedStaticFilesStorage


def test_collected_files_are_linked_by_their_hashed_name(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "fieldapp.staticfiles.HashedStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    url = HashedStaticFilesStorage(location=str(tmp_path)).url("css/app.css")
    assert url.startswith("/static/css/app.") and url != "/static/css/app.css"


def test_without_collectstatic_the_plain_name_is_linked(tmp_path):
    storage = HashedStaticFilesStorage(location=str(tmp_path / "empty"))
    assert storage.url("css/app.css") == "/static/css/app.css"
