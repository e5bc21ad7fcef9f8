from django.urls import path

from pompolit.audit import views

urlpatterns = [
    path("", views.trail, name="audit_trail"),
]
