from django.urls import path

from pompolit.ledger import (
    views,
    views_campaigns,
    views_expenses,
    views_imports,
    views_statements,
)

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
    path("expenses/", views_expenses.expense_list, name="expense_list"),
    path("expenses/new/", views_expenses.expense_new, name="expense_new"),
    path("expenses/pay/", views_expenses.expense_pay_many, name="expense_pay_many"),
    path("expenses/<int:expense>/", views_expenses.expense_detail, name="expense_detail"),
    path("expenses/<int:expense>/pay/", views_expenses.expense_pay, name="expense_pay"),
    path("imports/", views_imports.import_upload, name="import_upload"),
    path("campaigns/", views_campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", views_campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign>/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("imports/commit/", views_imports.import_commit, name="import_commit"),
]
