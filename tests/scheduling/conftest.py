from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from services.scheduling.grid import local_datetime


@pytest.fixture
def ten() -> datetime:
    """10:00 local, a week from today."""
    return local_datetime(timezone.localdate() + timedelta(days=7), time(10))
