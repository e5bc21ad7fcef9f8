from django.urls import path

from pompolit.cases import views_public

urlpatterns = [
    path("", views_public.public_case_list, name="public_case_list"),
    path("<int:pk>/", views_public.public_case, name="public_case"),
]
