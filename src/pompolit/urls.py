from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("audit/", include("pompolit.members.trail.urls")),
    path("vault/", include("pompolit.vault.urls")),
    path("ledger/", include("pompolit.ledger.urls")),
    path("cases/", include("pompolit.cases.urls")),
    path("aid/", include("pompolit.aid.urls")),
    path("intake/", include("pompolit.intake.urls")),
    path("prisoners/", include("pompolit.public.urls")),
    path("prisoners/", include("pompolit.cases.public.urls")),
    path("letters/", include("pompolit.letters.urls")),
    path("", include("pompolit.members.urls")),
]

# Styled error pages in the reader's language (pompolit.core.error_pages).
handler400 = "pompolit.core.error_pages.bad_request"
handler403 = "pompolit.core.error_pages.permission_denied"
handler404 = "pompolit.core.error_pages.page_not_found"
handler500 = "pompolit.core.error_pages.server_error"
