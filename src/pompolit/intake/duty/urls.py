from django.urls import path

from pompolit.intake.duty import views

urlpatterns = [
    path("<slug:compartment>/lawyers/", views.lawyers, name="intake_duty_lawyers"),
    path("<slug:compartment>/lawyers/dispatch/", views.dispatch, name="intake_duty_dispatch"),
    path("<slug:compartment>/lawyers/recall/", views.recall, name="intake_duty_recall"),
    path("<slug:compartment>/log/", views.shift_log, name="intake_shift_log"),
    path("<slug:compartment>/log/handover/", views.handover, name="intake_shift_handover"),
]
