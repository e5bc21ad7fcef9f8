from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pompolit.core"
    verbose_name = "Pompolit"

    def ready(self) -> None:
        from pompolit.core import lookups
        from pompolit.core.text import guard_every_char_field

        lookups.register()  # `field__any_of=ids`: long id lists as one array on PostgreSQL

        # Every form's text is checked for control and direction-changing characters.
        guard_every_char_field()
