"""The case workers' pages under /cases/. Each feature's own addresses are in its urls.py;
the fixed prefixes (facilities/, vocabularies/) come before a case's `<compartment>/<pk>/`."""

from django.urls import include, path

from pompolit.cases import views
from pompolit.cases.public.urls import consent_urlpatterns

CASE = "<slug:compartment>/<int:pk>/"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("sign-of-life/", views.overdue, name="cases_overdue"),
    path("", include("pompolit.cases.io.urls")),
    path("people/", include("pompolit.cases.duplicates.urls")),
    path("vocabularies/", include("pompolit.cases.vocabularies.urls")),
    path("facilities/", include("pompolit.cases.facilities.urls")),
    path(CASE, views.case_detail, name="case_detail"),
    path(f"{CASE}edit/", views.case_edit, name="case_edit"),
    path(f"{CASE}private/", views.case_private, name="case_private"),
    path(f"{CASE}events/new/", views.event_add, name="case_event_add"),
    path(f"{CASE}events/<int:event>/remove/", views.event_remove, name="case_event_remove"),
    path(f"{CASE}events/<int:event>/outcome/", views.hearing_outcome,
         name="case_hearing_outcome"),
    path(f"{CASE}names/new/", views.name_add, name="case_name_add"),
    path(f"{CASE}charges/new/", views.charge_add, name="case_charge_add"),
    path(f"{CASE}relatives/new/", views.relative_add, name="case_relative_add"),
    path(CASE, include("pompolit.cases.moving.urls")),
    path(CASE, include("pompolit.cases.photos.urls")),
    path(CASE, include(consent_urlpatterns)),
]
