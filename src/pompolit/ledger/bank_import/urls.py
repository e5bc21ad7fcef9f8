from django.urls import path

from pompolit.ledger.bank_import import views

urlpatterns = [
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/commit/", views.import_commit, name="import_commit"),
    path("imports/mappings/", views.mapping_list, name="bank_mapping_list"),
    path("imports/mappings/new/", views.mapping_new, name="bank_mapping_new"),
    path("imports/mappings/<int:mapping>/", views.mapping_edit, name="bank_mapping_edit"),
    path("imports/mappings/<int:mapping>/active/", views.mapping_active,
         name="bank_mapping_active"),
    path("imports/rules/", views.rule_list, name="import_rule_list"),
    path("imports/rules/new/", views.rule_new, name="import_rule_new"),
    path("imports/rules/<int:rule>/", views.rule_edit, name="import_rule_edit"),
    path("imports/rules/<int:rule>/active/", views.rule_active, name="import_rule_active"),
]
