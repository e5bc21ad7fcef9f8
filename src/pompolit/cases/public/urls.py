from django.urls import path

from pompolit.cases.photos import views as photos
from pompolit.cases.public import views

urlpatterns = [
    path("", views.public_case_list, name="public_case_list"),
    path("<slug:public_id>/", views.public_case, name="public_case"),
    path("<slug:public_id>/photo/", photos.public_case_photo, name="public_case_photo"),
]

# Under a case's address (`<compartment>/<pk>/`), for its case workers.
consent_urlpatterns = [
    path("consent/", views.case_consent, name="case_consent"),
    path("consent/withdraw/", views.case_consent_withdraw, name="case_consent_withdraw"),
]
