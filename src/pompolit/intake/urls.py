from django.urls import include, path

from pompolit.intake import consent_views, export_views, views
from pompolit.intake.bot import views as bot_views

urlpatterns = [
    path("", views.hotline_list, name="intake_hotlines"),
    path("counts.json", views.public_counts, name="intake_public_counts"),
    # The public form, its status page and counts page, and the quarantine review (before the
    # hotlines' own addresses: "report" and "counts" are no hotline's slug).
    path("", include("pompolit.intake.public.urls")),
    path("telegram/<str:token>/", bot_views.telegram_webhook, name="intake_telegram_webhook"),
    path("<slug:compartment>/", views.console, name="intake_console"),
    path("<slug:compartment>/matches/", views.matches, name="intake_matches"),
    path("<slug:compartment>/stations/", views.station_options, name="intake_stations"),
    path("<slug:compartment>/events/", views.event_options, name="intake_events"),
    path("<slug:compartment>/protests/", views.event_list, name="intake_event_list"),
    path("<slug:compartment>/protests/<int:pk>/", views.event_edit, name="intake_event_edit"),
    path("<slug:compartment>/board/", views.board, name="intake_board"),
    path("<slug:compartment>/board/rows/", views.board_rows, name="intake_board_rows"),
    path("<slug:compartment>/board/station/", views.board_station, name="intake_board_station"),
    path("<slug:compartment>/export/", export_views.export_page, name="intake_export"),
    path(
        "<slug:compartment>/export/progress/",
        export_views.export_progress,
        name="intake_export_progress",
    ),
    path(
        "<slug:compartment>/export/download/",
        export_views.export_download,
        name="intake_export_download",
    ),
    path("", include("pompolit.intake.duty.urls")),
    path("<slug:compartment>/<int:pk>/", views.detention_detail, name="intake_detention"),
    path(
        "<slug:compartment>/<int:pk>/status/",
        views.detention_status,
        name="intake_detention_status",
    ),
    path(
        "<slug:compartment>/<int:pk>/lawyer/",
        views.detention_lawyer,
        name="intake_detention_lawyer",
    ),
    path(
        "<slug:compartment>/<int:pk>/public-name/",
        consent_views.detention_public_name,
        name="intake_detention_public_name",
    ),
    path(
        "<slug:compartment>/<int:pk>/escalate/",
        views.detention_escalate,
        name="intake_detention_escalate",
    ),
]
