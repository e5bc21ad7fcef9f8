from django.urls import include, path

from pompolit.aid import views

urlpatterns = [
    path("follow-ups/", views.follow_ups, name="aid_follow_ups"),
    path("approvals/", views.approvals, name="aid_approvals"),
    path("", include("pompolit.aid.planning.urls")),
    path("", include("pompolit.aid.batches.urls")),
    path("<slug:compartment>/case/<int:pk>/", views.case_aid, name="aid_case"),
    path("<slug:compartment>/case/<int:pk>/needs/", views.aid_needs, name="aid_needs"),
    path("<slug:compartment>/case/<int:pk>/new/", views.item_new, name="aid_item_new"),
    path("<slug:compartment>/case/<int:pk>/check/", views.item_check, name="aid_item_check"),
    path("<slug:compartment>/<int:pk>/", views.item_detail, name="aid_item_detail"),
    path("<slug:compartment>/<int:pk>/edit/", views.item_edit, name="aid_item_edit"),
    path("<slug:compartment>/<int:pk>/step/", views.item_step, name="aid_item_step"),
]
