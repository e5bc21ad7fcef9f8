"""The ledger's URLs: the balances and recording a donation here, each feature's from its own
urls.py (paths and names as they always were)."""

from django.urls import URLPattern, URLResolver, path

from pompolit.ledger import views
from pompolit.ledger.bank_import import urls as bank_import
from pompolit.ledger.campaigns import urls as campaigns
from pompolit.ledger.chart import urls as chart
from pompolit.ledger.donors import urls as donors
from pompolit.ledger.expenses import urls as expenses
from pompolit.ledger.journal import urls as journal
from pompolit.ledger.rates import urls as rates
from pompolit.ledger.statements import urls as statements

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.fund_balances, name="ledger_balances"),
    path("donations/new/", views.record_donation, name="record_donation"),
    *journal.urlpatterns,
    *statements.urlpatterns,
    *expenses.urlpatterns,
    *bank_import.urlpatterns,
    *campaigns.urlpatterns,
    *chart.urlpatterns,
    *donors.urlpatterns,
    *rates.urlpatterns,
]
