from django.urls import path

from pompolit.cases.io import views

urlpatterns = [
    path("import/", views.import_upload, name="cases_import"),
    path("import/map/", views.import_map, name="cases_import_map"),
    path("export/", views.export_list, name="cases_export"),
    path("export/<slug:compartment>/", views.export_download, name="cases_export_download"),
    path("export/<slug:compartment>/sensitive/", views.export_sensitive,
         name="cases_export_sensitive"),
]
