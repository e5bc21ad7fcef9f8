from django.urls import path

from pompolit.ledger.rates import views

urlpatterns = [
    path("rates/", views.rate_list, name="rate_list"),
    path("rates/import/", views.rate_import, name="rate_import"),
    path("rates/import/commit/", views.rate_import_commit, name="rate_import_commit"),
]
