from django.urls import path

from pompolit.ledger.expenses import views

urlpatterns = [
    path("expenses/", views.expense_list, name="expense_list"),
    path("expenses/new/", views.expense_new, name="expense_new"),
    path("expenses/pay/", views.expense_pay_many, name="expense_pay_many"),
    path("expenses/<int:expense>/", views.expense_detail, name="expense_detail"),
    path("expenses/<int:expense>/pay/", views.expense_pay, name="expense_pay"),
    path("expenses/<int:expense>/retry/", views.expense_retry, name="expense_retry"),
    path("expenses/<int:expense>/withdraw/", views.expense_withdraw, name="expense_withdraw"),
    path("expenses/<int:expense>/receipts/<int:number>/", views.expense_receipt,
         name="expense_receipt"),
]
