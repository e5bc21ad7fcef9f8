from django.urls import path

from pompolit.aid.planning import views

urlpatterns = [
    path("plan/", views.plan_page, name="aid_plan"),
]
