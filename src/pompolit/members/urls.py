from django.urls import path

from pompolit.members import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("waiting/", views.waiting, name="waiting"),
    path("join/<str:token>/", views.join, name="join"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/roles/", views.request_role, name="request_role"),
    path("members/<int:pk>/roles/<str:role_name>/revoke/", views.revoke_role, name="revoke_role"),
    path("members/<int:pk>/compartments/", views.request_compartment, name="request_compartment"),
    path(
        "members/<int:pk>/compartments/<slug:compartment>/revoke/",
        views.revoke_compartment,
        name="revoke_compartment",
    ),
    path("invite/", views.invite, name="invite"),
    path("invite/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("vouch/", views.vouch, name="vouch"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval_detail"),
    path("approvals/<int:pk>/decide/", views.approval_decide, name="approval_decide"),
    path("approvals/<int:pk>/retry/", views.approval_retry, name="approval_retry"),
    path("compartments/", views.compartment_list, name="compartment_list"),
    path("compartments/new/", views.compartment_create, name="compartment_create"),
    path(
        "compartments/<slug:compartment>/", views.compartment_detail, name="compartment_detail"
    ),
    path("activity/", views.activity, name="activity"),
    path("rules/", views.rules, name="rules"),
]
