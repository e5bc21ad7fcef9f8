from django.urls import path

from pompolit.cases import views_photos, views_public

urlpatterns = [
    path("", views_public.public_case_list, name="public_case_list"),
    path("<slug:public_id>/", views_public.public_case, name="public_case"),
    path("<slug:public_id>/photo/", views_photos.public_case_photo, name="public_case_photo"),
]
