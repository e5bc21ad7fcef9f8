from django.urls import path

from pompolit.ledger.chart import views

urlpatterns = [
    path("chart/", views.chart, name="ledger_chart"),
    path("chart/rename/", views.chart_rename, name="ledger_chart_rename"),
]
