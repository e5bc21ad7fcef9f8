"""Under a case's address (`<compartment>/<pk>/`)."""

from django.urls import path

from pompolit.cases.moving import views

urlpatterns = [
    path("move/", views.case_move, name="case_move"),
]
