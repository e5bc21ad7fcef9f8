"""`pompolit demo [all|codes]`: fill an empty demo database with members of every role, the
vault, the demo cases, books, aid and a hotline surge (`pompolit cases demo`, `ledger demo`,
`aid demo`, `intake demo`, `letters demo`); or
print the demo logins' current second factors. Demo mode only."""

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.members import approvals, services
from pompolit.members.models import Member, RoleGrant
from pompolit.members.roles import Role

PASSWORD = "demo-password-2026"  # noqa: S105  (printed on purpose: demo only)
# Fixed so that the printed logins stay valid across `make demo` runs. Never use outside demo.
DEMO_MEMBERS: list[tuple[str, str, list[str]]] = [
    ("vera", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA", [Role.COORDINATOR]),
    ("sofia", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB", [Role.COORDINATOR]),
    ("kaznachei", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC", [Role.TREASURER]),
    ("nikolai", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXD", [Role.CASE_WORKER]),
    ("hotline", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXE", [Role.HOTLINE_OPERATOR]),
    ("auditor", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXF", [Role.AUDITOR]),
    # A second treasurer: paying an expense above the threshold needs one (the README's tour).
    ("kassir", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXG", [Role.TREASURER]),
    # A case worker who also takes hotline shifts: opens a detention that led to a criminal
    # case as a case of the registry (`intake demo` grants the Moscow hotline and its cases).
    ("lev", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXH", [Role.CASE_WORKER, Role.HOTLINE_OPERATOR]),
]


def build_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--cases", type=int, default=0,
        help="Also generate this many synthetic modern cases (for benchmarks).",
    )
    parser.add_argument("--seed", type=int, default=1,
                        help="Seed of the synthetic cases (the same seed, the same set).")


def build(command: BaseCommand, options: Options) -> None:
    if not settings.DEMO_MODE:
        raise CommandError(
            "`demo` loads well-known passwords; it runs only with POMPOLIT_DEMO=1."
        )
    assert isinstance(command, Command)
    command.load_everything(options["cases"], options["seed"])


def codes(command: BaseCommand, options: Options) -> None:
    if not settings.DEMO_MODE:
        raise CommandError("This prints second factors; it runs only with POMPOLIT_DEMO=1.")
    counter = int(time.time()) // 30
    for pseudonym, secret, _roles in DEMO_MEMBERS:
        command.stdout.write(f"{pseudonym:<11} {format_hotp_value(hotp_value(secret, counter))}")


class Command(AppCommand):
    name = "demo"
    help = "The demo (POMPOLIT_DEMO=1 only): build it, or print the demo logins' codes."
    default_verb = "all"
    verbs = (
        Verb("all", "members, vault, cases, books, aid; print the logins (default)", build,
             build_arguments),
        Verb("codes", "print the current TOTP code of every demo login", codes),
    )

    def load_everything(self, cases: int, seed: int) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not Member.objects.exists():
            self.load()
            # Insecure on purpose: the demo vault unseals itself from a key file under var/.
            call_command(
                "vault", "init", threshold=2, keyholder=["vera", "sofia"], demo=True,
                shares_dir=settings.VAR_DIR / "vault" / "demo-shares", stdout=self.stdout,
            )
            # Second factors are sealed with the vault (vault/mfa.py): only now can they be made.
            self.second_factors()
            # So is the members' free text (core.sealed_text): reasons, notes, descriptions.
            self.with_texts()
            # The registry's historical demo set (needs the unsealed vault for its secrets),
            # the books and the aid: each app loads its own (named, not imported: they are
            # above members).
            call_command("cases", "demo", stdout=self.stdout)
            call_command("ledger", "demo", stdout=self.stdout)
            call_command("aid", "demo", stdout=self.stdout)
            call_command("intake", "demo", stdout=self.stdout)
            call_command("letters", "demo", stdout=self.stdout)
        if cases:
            self.synthetic(cases, seed)
        self.print_logins()

    def synthetic(self, cases: int, seed: int) -> None:
        # The registry generates them (it is above members, so named, not imported).
        call_command("cases", "synthetic", cases=cases, seed=seed, stdout=self.stdout)

    @transaction.atomic
    def load(self) -> None:
        vera = services.create_founder("vera", PASSWORD)
        sofia = services.create_founder("sofia", PASSWORD)
        members = {"vera": vera, "sofia": sofia}
        for pseudonym, _secret, _roles in DEMO_MEMBERS[2:]:
            _inv, token = services.create_invitation(vera)
            member = services.accept_invitation(token, pseudonym=pseudonym, password=PASSWORD)
            services.vouch(vera, member)
            services.vouch(sofia, member)
            members[pseudonym] = Member.objects.get(pk=member.pk)
        for pseudonym, _secret, roles in DEMO_MEMBERS[2:]:
            for role in roles:
                request = approvals.request_approval(
                    vera, "grant_role", {"member": members[pseudonym].pk, "role": role}
                )
                approvals.approve(request.pk, sofia, seen_digest=request.payload_digest)
        assert RoleGrant.objects.filter(role=Role.COORDINATOR).count() == 2
        self.stdout.write(f"Demo data loaded at {timezone.now():%Y-%m-%d %H:%M}.")

    @transaction.atomic
    def with_texts(self) -> None:
        """What needs the unsealed vault: the compartments (their descriptions), a request with
        its reason, an invitation with its note — all encrypted (core.sealed_text)."""
        vera = Member.objects.get(pseudonym="vera")
        sofia = Member.objects.get(pseudonym="sofia")
        members = {p: Member.objects.get(pseudonym=p) for p in ("vera", "nikolai")}
        orenburg = services.create_compartment(
            vera, name="Оренбургская ссылка", slug="orenburg-exiles",
            description="Ссыльные в Оренбургской области",
        )
        services.create_compartment(
            sofia, name="Московская горячая линия", slug="moscow-hotline",
            description="Задержания в Москве",
        )
        for pseudonym in ("vera", "nikolai"):
            request = approvals.request_approval(
                sofia if pseudonym == "vera" else vera,
                "grant_compartment",
                {"member": members[pseudonym].pk, "compartment": orenburg.pk},
            )
            approver = vera if pseudonym == "vera" else sofia
            approvals.approve(request.pk, approver, seen_digest=request.payload_digest)
        # Something for the approvals inbox: sofia asks, vera decides.
        approvals.request_approval(
            sofia,
            "grant_role",
            {"member": members["nikolai"].pk, "role": Role.HOTLINE_OPERATOR},
            reason="Помощь на горячей линии во время задержаний",
        )
        _inv, token = services.create_invitation(vera, note="новенькая из Самары")
        newcomer = services.accept_invitation(token, pseudonym="anya", password=PASSWORD)
        services.vouch(members["nikolai"], newcomer)

    @transaction.atomic
    def second_factors(self) -> None:
        for pseudonym, secret, _roles in DEMO_MEMBERS:
            member = Member.objects.get(pseudonym=pseudonym)
            TOTP.activate(member, secret)
            RecoveryCodes.activate(member)

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write("DEMO MODE — insecure; these logins are public. Password for all:")
        self.stdout.write(f"    {PASSWORD}")
        labels = [", ".join(str(Role(r).label) for r in roles) for _p, _s, roles in DEMO_MEMBERS]
        width = max(24, *(len(label) for label in labels))
        self.stdout.write(
            f"{'pseudonym':<11} {'role':<{width}} TOTP secret (add to an authenticator app)"
        )
        for (pseudonym, secret, _roles), label in zip(DEMO_MEMBERS, labels, strict=True):
            self.stdout.write(f"{pseudonym:<11} {label:<{width}} {secret}")
        self.stdout.write("Current codes: `.venv/bin/pompolit demo codes` prints them.")
