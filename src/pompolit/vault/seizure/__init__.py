"""The seizure test (seizure/tests/test_seizure.py): a seized server reveals no secret.

Every app with secret fields has a `seizure` module with `seed(canary)`: it creates rows with
`canary("app.Model.field")` in each secret field (`canary(label, "phone")` gives a phone
number, `canary(label, "date")` an ISO date). The seizure test fails for any secret field
left without a canary. This is the vault's own `seed`; `seizure.tests.forms_walk` types a canary
into every text box of every form of the site.
"""

from __future__ import annotations

from collections.abc import Callable


def seed(canary: Callable[..., str]) -> None:
    from pompolit.members.models import Member
    from pompolit.vault.emergency.models import EmergencyContact
    from pompolit.vault.fields.files import store_blob
    from pompolit.vault.uploads import services as uploads

    member = Member.objects.create_user("Канарейка", "correct horse battery staple")
    EmergencyContact.objects.create(
        member=member,
        contact=canary("vault.EmergencyContact.contact"),
        phone=canary("vault.EmergencyContact.phone", "phone"),
    )
    store_blob(canary("attachment").encode())

    # Members' second factors (allauth's mfa_authenticator.data), sealed by vault/mfa.py.
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import encrypt

    TOTP.activate(member, canary("mfa.Authenticator.data.secret"))
    Authenticator.objects.create(
        user=member, type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": encrypt(canary("mfa.Authenticator.data.seed")), "used_mask": 0},
    )
    # A file waiting to be imported: a list with a relative's phone, and the file's name.
    phone = canary("vault.PendingUpload.body", "phone")
    uploads.keep(member, "seizure", f"Фамилия;Телефон матери\nРемизова;{phone}\n".encode(),
                 state={"name": canary("vault.PendingUpload.state")})
