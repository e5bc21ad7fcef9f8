from django.urls import path

from pompolit.intake.public import views

# Included by intake/urls.py before the hotlines' own addresses.
urlpatterns = [
    path("report/", views.report_form, name="intake_public_report"),
    path("report/status/", views.report_status, name="intake_public_status"),
    path("counts/", views.counts_page, name="intake_public_counts_page"),
    path("<slug:compartment>/quarantine/", views.quarantine, name="intake_quarantine"),
    path(
        "<slug:compartment>/quarantine/<int:pk>/",
        views.quarantine_report,
        name="intake_quarantine_report",
    ),
    path("<slug:compartment>/photos/<int:pk>/", views.report_photo, name="intake_report_photo"),
]
