from typing import Any

from django.http import HttpRequest

from pompolit.vault.keys.keyring import agent


def vault(request: HttpRequest) -> dict[str, Any]:
    """`vault_sealed` and `vault_demo` for the base template's banners (lazily: one call)."""
    status: dict[str, Any] = {}

    def look() -> Any:
        if not status:
            try:
                current = agent().status()
                status.update(sealed=current.sealed, demo=current.demo)
            except Exception:
                status.update(sealed=True, demo=False)
        return status

    class Lazy:
        def __init__(self, key: str) -> None:
            self.key = key

        def __bool__(self) -> bool:
            return bool(look()[self.key])

    return {"vault_sealed": Lazy("sealed"), "vault_demo": Lazy("demo")}
