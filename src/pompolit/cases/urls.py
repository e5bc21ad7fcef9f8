from django.urls import path

from pompolit.cases import views, views_io, views_public

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("sign-of-life/", views.overdue, name="cases_overdue"),
    path("import/", views_io.import_upload, name="cases_import"),
    path("import/map/", views_io.import_map, name="cases_import_map"),
    path("export/", views_io.export_list, name="cases_export"),
    path("export/<slug:compartment>/", views_io.export_download, name="cases_export_download"),
    path("export/<slug:compartment>/sensitive/", views_io.export_sensitive,
         name="cases_export_sensitive"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/new/", views.facility_new, name="facility_new"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility_detail"),
    path("facilities/<int:pk>/rules/new/", views.rule_add, name="facility_rule_add"),
    path("<slug:compartment>/<int:pk>/", views.case_detail, name="case_detail"),
    path("<slug:compartment>/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<slug:compartment>/<int:pk>/private/", views.case_private, name="case_private"),
    path("<slug:compartment>/<int:pk>/events/new/", views.event_add, name="case_event_add"),
    path("<slug:compartment>/<int:pk>/events/<int:event>/remove/", views.event_remove,
         name="case_event_remove"),
    path("<slug:compartment>/<int:pk>/names/new/", views.name_add, name="case_name_add"),
    path("<slug:compartment>/<int:pk>/charges/new/", views.charge_add, name="case_charge_add"),
    path("<slug:compartment>/<int:pk>/relatives/new/", views.relative_add,
         name="case_relative_add"),
    path("<slug:compartment>/<int:pk>/consent/", views_public.case_consent,
         name="case_consent"),
    path("<slug:compartment>/<int:pk>/consent/withdraw/", views_public.case_consent_withdraw,
         name="case_consent_withdraw"),
]
