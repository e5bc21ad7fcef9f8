from django.urls import path

from pompolit.aid.batches import views

urlpatterns = [
    path("batches/", views.batch_list, name="aid_batches"),
    path("batches/parcels.pdf", views.batch_pdf, name="aid_batch_pdf"),
    path("batches/parcels.csv", views.batch_csv, name="aid_batch_csv"),
]
