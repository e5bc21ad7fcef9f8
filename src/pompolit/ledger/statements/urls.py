from django.urls import path

from pompolit.ledger.statements import views

urlpatterns = [
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/publish/", views.publish_statement, name="publish_statement"),
    path("statements/<slug:period>/", views.statement_detail, name="statement_detail"),
    path("statements/<slug:period>/statement.json", views.statement_bundle,
         name="statement_bundle"),
    path("statements/<slug:period>/figures.csv", views.statement_csv, name="statement_csv"),
    path("check/", views.check_donation, name="check_donation"),
]
