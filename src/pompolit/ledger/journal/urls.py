from django.urls import path

from pompolit.ledger.journal import views

urlpatterns = [
    path("journal/", views.journal_list, name="journal"),
    path("journal/<int:leaf>/", views.journal_entry, name="journal_entry"),
    path("donations/", views.donation_list, name="donation_list"),
    path("donations/<int:donation>/correct/", views.donation_correct, name="donation_correct"),
]
