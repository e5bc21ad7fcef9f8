from django.urls import path

from pompolit.cases.photos import views as photos
from pompolit.cases.public import views

# The public pages themselves (the list, the profile) are the public app's (pompolit.public);
# the photo stays here, beside the encrypted file it decrypts.
urlpatterns = [
    path("<slug:public_id>/photo/", photos.public_case_photo, name="public_case_photo"),
]

# Under a case's address (`<compartment>/<pk>/`), for its case workers.
consent_urlpatterns = [
    path("consent/", views.case_consent, name="case_consent"),
    path("consent/withdraw/", views.case_consent_withdraw, name="case_consent_withdraw"),
]
