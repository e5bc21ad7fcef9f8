from django.urls import path

from pompolit.ledger import views, views_statements

urlpatterns = [
    path("", views.fund_balances, name="ledger_balances"),
    path("donations/new/", views.record_donation, name="record_donation"),
    path("statements/", views_statements.statement_list, name="statement_list"),
    path("statements/publish/", views_statements.publish_statement, name="publish_statement"),
    path("statements/<slug:period>/", views_statements.statement_detail,
         name="statement_detail"),
    path("statements/<slug:period>/statement.json", views_statements.statement_bundle,
         name="statement_bundle"),
    path("statements/<slug:period>/figures.csv", views_statements.statement_csv,
         name="statement_csv"),
    path("check/", views_statements.check_donation, name="check_donation"),
]
