"""fieldapp: the Django project for the volunteers who serve people in the camps around Calais."""

from .celery import app as celery_app

__all__ = ["celery_app"]
