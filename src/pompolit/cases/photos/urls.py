"""Under a case's address (`<compartment>/<pk>/`); the public photo is in public/urls.py."""

from django.urls import path

from pompolit.cases.photos import views

urlpatterns = [
    path("photo/", views.case_photo, name="case_photo"),
    path("photo/upload/", views.case_photo_upload, name="case_photo_upload"),
    path("photo/remove/", views.case_photo_remove, name="case_photo_remove"),
]
