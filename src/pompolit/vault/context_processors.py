from typing import Any

from django.http import HttpRequest

from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.vault.keys.keyring import agent, ring
from pompolit.vault.keys.services import may_seal


def vault(request: HttpRequest) -> dict[str, Any]:
    """`vault_sealed` and `vault_demo` for the base template's banners (lazily: one call), and
    `can_seal` for its seal button."""
    status: dict[str, Any] = {}

    def look() -> Any:
        if not status:
            try:
                current = ring.known_status() or agent().status()
                status.update(sealed=current.sealed, demo=current.demo)
            except Exception:
                status.update(sealed=True, demo=False)
        return status

    class Lazy:
        def __init__(self, key: str) -> None:
            self.key = key

        def __bool__(self) -> bool:
            return bool(look()[self.key])

    class MaySeal:
        """Coordinators and keyholders see "Seal the vault now" in every page's header."""

        def __bool__(self) -> bool:
            member = getattr(request, "user", None)
            if not isinstance(member, Member):
                return False
            try:
                return policy.stage_of(member) == policy.Stage.VOUCHED and may_seal(member)
            except Exception:  # an error page must render even when the database cannot
                return False

    return {"vault_sealed": Lazy("sealed"), "vault_demo": Lazy("demo"), "can_seal": MaySeal()}
