from django.urls import path

from pompolit.ledger.campaigns import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign>/", views.campaign_edit, name="campaign_edit"),
]
