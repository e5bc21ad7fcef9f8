from django.urls import path

from pompolit.vault.keys import views

urlpatterns = [
    path("", views.vault_status, name="vault_status"),
    path("unseal/", views.unseal, name="vault_unseal"),
    path("unseal/reset/", views.reset_shares, name="vault_reset_shares"),
    path("seal/", views.seal, name="vault_seal"),
]
