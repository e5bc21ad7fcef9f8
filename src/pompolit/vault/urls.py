from django.urls import include, path

urlpatterns = [
    path("", include("pompolit.vault.keys.urls")),
    path("emergency-contact/", include("pompolit.vault.emergency.urls")),
]
