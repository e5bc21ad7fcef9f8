from django.urls import path

from pompolit.members.trail import views

urlpatterns = [
    path("", views.trail, name="audit_trail"),
    path("entry/<int:seq>/", views.entry_detail, name="audit_entry"),
    path("verify/", views.verify, name="audit_verify"),
    path("head/", views.export_head, name="audit_export_head"),
    path("alerts/<int:seq>/acknowledge/", views.acknowledge_alert, name="audit_acknowledge_alert"),
]
