from django.urls import path

from pompolit.ledger.donors import views

urlpatterns = [
    path("donors/", views.donor_identities, name="donor_identities"),
    path("donors/export/", views.donor_export, name="donor_export"),
    path("donors/forget/", views.donor_forget, name="donor_forget"),
]
