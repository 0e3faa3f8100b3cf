import pytest
from django.utils import timezone


@pytest.fixture
def travel_to(monkeypatch):
    """Move `timezone.now()` (which every "is it live yet?" check reads) to another moment."""

    def travel(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return travel
