from django.urls import path

from pompolit.vault.emergency import views

urlpatterns = [
    path("", views.my_emergency_contact, name="my_emergency_contact"),
    path("<int:pk>/", views.member_emergency_contact, name="member_emergency_contact"),
]
