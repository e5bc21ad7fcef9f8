"""The demo aid loads through the services, agrees with the books, and only once."""

from pompolit.aid import demo, rules
from pompolit.aid.books import check as books
from pompolit.aid.models import AidItem
from pompolit.cases import demo as cases_demo


def test_demo_aid(worker, compartment, funds):
    cases_demo.load(worker, compartment)
    assert demo.load(worker) == 9
    assert demo.load(worker) == 0
    assert books.first_problem() is None
    statuses = sorted(AidItem.objects.values_list("status", flat=True))
    assert statuses.count("delivered") == 2 and "confiscated" in statuses
    heavy = AidItem.objects.get(kind="parcel", status="draft")
    assert {v.code for v in rules.check_item(heavy)} == {"weight"}
