from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pompolit.core"
    verbose_name = "Pompolit"
