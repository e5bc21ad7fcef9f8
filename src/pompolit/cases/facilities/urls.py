from django.urls import path

from pompolit.cases.facilities import views

urlpatterns = [
    path("", views.facility_list, name="facility_list"),
    path("new/", views.facility_new, name="facility_new"),
    path("<int:pk>/", views.facility_detail, name="facility_detail"),
    path("<int:pk>/rules/new/", views.rule_add, name="facility_rule_add"),
]
