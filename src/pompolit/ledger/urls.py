from django.urls import path

from pompolit.ledger import views

urlpatterns = [
    path("", views.fund_balances, name="ledger_balances"),
    path("donations/new/", views.record_donation, name="record_donation"),
]
