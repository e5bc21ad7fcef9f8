import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_any_of_finds_what_in_finds() -> None:
    made = [Group.objects.create(name=f"g{n}").pk for n in range(3)]
    wanted = [made[0], made[2], 10**9]
    with CaptureQueriesContext(connection) as queries:
        found = set(Group.objects.filter(pk__any_of=wanted).values_list("pk", flat=True))
    assert found == set(Group.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert found == {made[0], made[2]}
    if connection.vendor == "postgresql":
        assert "= ANY(" in queries.captured_queries[0]["sql"]
    assert not Group.objects.filter(pk__any_of=[]).exists()
