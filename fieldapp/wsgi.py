"""WSGI entry point for gunicorn: it starts only where runserver would (the system checks)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldapp.settings")

application = get_wsgi_application()

from fieldapp.checks import startup_checks  # noqa: E402 - needs the apps loaded above

startup_checks()
