"""Every stored field of every Pompolit model says how sensitive it is.

Levels: "public" (may be published), "internal" (members only; stored in clear), "secret"
(encrypted by the vault; must be an Encrypted*Field). A field is classified, in this order:

1. by its own `sensitivity` (the vault's Encrypted*Field and BlindIndexField carry one);
2. by its model's `classification = {"field": "level", ...}` class attribute;
3. by this registry, for apps whose models were written before the vault existed.

`pompolit check --deploy` (and so CI) and the vault's test suite fail on any concrete
field that is classified nowhere
(vault.E001), on a "secret" field stored in clear (vault.E002), on an unknown level
(vault.E003) and on a classification naming no field (vault.E004).
"""

from __future__ import annotations

LEVELS = ("public", "internal", "secret")

_MEMBER_FIELDS = {
    "password": "internal",  # an Argon2 hash, not the password
    "last_login": "internal",
    "pseudonym": "internal",
    "is_active": "internal",
    "date_joined": "internal",
    "is_founder": "internal",
    "vouched_at": "internal",
    "invited_by": "internal",
    "pseudonym_key": "internal",  # the pseudonym normalised for uniqueness
}

REGISTRY: dict[str, dict[str, str]] = {
    "members.Member": _MEMBER_FIELDS,
    "members.RoleGrant": dict.fromkeys(
        ["member", "role", "granted_at", "approval", "founding"], "internal"
    ),
    "members.Compartment": dict.fromkeys(
        ["name", "slug", "created_at", "created_by"], "internal"
    ),
    "members.CompartmentGrant": dict.fromkeys(
        ["member", "compartment", "granted_at", "approval"], "internal"
    ),
    "members.Invitation": dict.fromkeys(
        ["token_hash", "created_by", "created_at", "expires_at", "used_at", "used_by",
         "revoked_at"],
        "internal",
    ),
    "members.Vouch": dict.fromkeys(["voucher", "member", "created_at"], "internal"),
    "members.OrganisationSetting": dict.fromkeys(
        ["key", "value", "changed_at", "approval"], "internal"
    ),
    "members.ApprovalRequest": dict.fromkeys(
        ["action", "payload", "payload_digest", "requested_by", "requested_at",
         "expires_at", "status", "decided_by", "decided_at", "executed_at", "last_error"],
        "internal",
    ),
    "members.Notice": dict.fromkeys(
        ["member", "kind", "params", "created_at", "seen_at"], "internal"
    ),
    "audit.AuditEntry": dict.fromkeys(
        ["seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "client",
         "details", "details_digest", "prev_hash", "entry_hash", "sensitive_read"],
        "internal",
    ),
    # The transparency log is published as a whole (its owner should confirm: leaves must
    # never carry anything but what the public statement shows).
    "tlog.Log": dict.fromkeys(["name", "origin", "size"], "public"),
    "tlog.LogEntry": dict.fromkeys(["log", "index", "data"], "public"),
    "tlog.EntryBundle": dict.fromkeys(["log", "index", "data"], "public"),
    "tlog.LogTile": dict.fromkeys(["log", "level", "index", "data"], "public"),
    "tlog.SignedCheckpoint": dict.fromkeys(["log", "size", "root", "note", "created_at"], "public"),
}


# -- free text is encrypted by default (issue 18) ---------------------------------------------

def _group(reason: str, *labels: str) -> dict[str, str]:
    return dict.fromkeys(labels, reason)


# Every text field a person could type into (CharField/TextField without choices) that is kept
# in clear, with the reason. Any other is an error (vault.E005): make it a FreeTextField.
CLEAR_TEXT: dict[str, str] = {
    **_group("a code, key, digest, fingerprint, hash or token: made by the system or chosen "
             "from a list, not free text",
             "members.Member.password", "members.Compartment.slug", "members.Invitation.token_hash",
             "members.OrganisationSetting.key", "members.ApprovalRequest.action",
             "members.ApprovalRequest.payload_digest", "members.Notice.kind",
             "audit.AuditEntry.action", "audit.AuditEntry.object_type",
             "audit.AuditEntry.object_id", "audit.AuditEntry.details_digest",
             "audit.AuditEntry.prev_hash", "audit.AuditEntry.entry_hash",
             "vault.VaultState.verifier", "vault.Keyholder.share_digest", "vault.DataKey.wrapped",
             "vault.PendingPlaintext.model", "vault.PendingPlaintext.field",
             "vault.PendingPlaintext.row", "vault.PendingUpload.token", "vault.PendingUpload.kind",
             "tlog.LogSigningKey.vkey", "ledger.Currency.code",
             "ledger.Account.code", "ledger.Fund.code", "ledger.Campaign.code",
             "ledger.Entry.granularity", "ledger.Donation.receipt_id",
             "ledger.Donation.submission", "ledger.Statement.head", "ledger.Statement.sha256",
             "ledger.BankMapping.code", "ledger.BankImport.file_fingerprint",
             "ledger.ImportedLine.fingerprint", "ledger.Expense.submission",
             "intake.ReportCode.code_hash",
             "cases.CaseStatus.code", "cases.EventType.code", "cases.FacilityType.code",
             "cases.Regime.code", "cases.Facility.country", "cases.FacilityRule.money_currency",
             "cases.NameKey.key", "cases.CoarseKey.key",
             "cases.Charge.jurisdiction", "cases.ImportedRow.fingerprint",
             "aid.AidItem.language", "aid.AidItem.origin", "aid.AidContent.category",
             "ledger.Statement.period", "cases.Person.birth_date", "cases.Case.recognised_on",
             "cases.Case.expected_release",
             "cases.Event.date", "cases.PublicIdRedirect.old_public_id",
             "cases.PublicIdRedirect.new_public_id", "letters.Letter.language",
             "letters.Letter.writer_hash"),
    **_group("a prisoner's name: searched by its keys, which would give it away anyway "
             "(docs/security.md)",
             "cases.PersonName.surname", "cases.PersonName.given", "cases.PersonName.patronymic"),
    **_group("public by design: published, or what the public site and letters need",
             "cases.CaseStatus.label_en", "cases.CaseStatus.label_ru", "cases.EventType.label_en",
             "cases.EventType.label_ru", "cases.FacilityType.label_en",
             "cases.FacilityType.label_ru", "cases.Regime.label_en", "cases.Regime.label_ru",
             "cases.Facility.name", "cases.Facility.short_name", "cases.Facility.region",
             "cases.Facility.city", "cases.Facility.street", "cases.Facility.postal_code",
             "cases.Facility.letter_service", "cases.Facility.notes", "cases.FacilityRule.source",
             "cases.Charge.code", "cases.Charge.article", "cases.Charge.text",
             "cases.Consent.story_ru", "cases.Consent.story_en", "cases.Consent.interests",
             "ledger.Currency.name",
             "ledger.Account.name", "ledger.Fund.name", "ledger.Fund.purpose",
             "ledger.Campaign.name", "ledger.ExchangeRate.source", "tlog.Log.name",
             "tlog.Log.origin", "tlog.SignedCheckpoint.note", "tlog.LogSigningKey.name"),
    **_group("a holiday campaign of letters: its name and its suggestion to writers are shown "
             "on the public letter pages while it runs",
             "letters.Campaign.name_en", "letters.Campaign.name_ru",
             "letters.Campaign.suggestion_en", "letters.Campaign.suggestion_ru"),
    **_group("court records (court, number, sentence, who recognised the prisoner): public, "
             "and the number is searched by its key",
             "cases.Case.court", "cases.Case.case_number", "cases.Case.sentence_term",
             "cases.Case.recognised_by"),
    **_group("a court hearing: the court, its city, the hall and the judge are public records "
             "(a judge is a public official, named in the court's own calendar); the token is "
             "random, made by the system for public addresses and iCalendar UIDs",
             "cases.Hearing.court", "cases.Hearing.city", "cases.Hearing.judge",
             "cases.Hearing.hall", "cases.Hearing.public_token"),
    **_group("a reference to a case (its number, public id or court number) that restricted "
             "funds and the public statement match: the form takes nothing else",
             "ledger.Fund.case_ref", "ledger.Expense.case_ref"),
    **_group("written by the system (\"bank import, line 3\", \"aid #12: sent\"); what a "
             "treasurer types goes to the encrypted ledger.EntryNote", "ledger.Entry.memo"),
    **_group("the treasurer's set-up for reading bank statements: no person's data",
             "ledger.BankMapping.name", "ledger.ImportRule.name",
             "ledger.ImportRule.reference_contains"),
    **_group("who did it, as shown in the trail: a member's pseudonym or \"system\"; where "
             "from: the client's kind", "audit.AuditEntry.actor_label", "audit.AuditEntry.client"),
    **_group("a compartment's name: an organisational label shown in menus and on every "
             "record it holds, like its slug; what it is about goes in its encrypted "
             "description", "members.Compartment.name"),
    **_group("members app: pseudonyms, approvals' errors (written by the system), keyholders' "
             "labels — read by coordinators; not yet encrypted (docs/vault.md, what is still "
             "in clear)",
             "members.Member.pseudonym", "members.ApprovalRequest.last_error",
             "vault.Keyholder.label"),
    **_group("free text from before an upgrade, waiting for the first unseal to be encrypted "
             "(vault.fields.pending.PendingPlaintext)", "vault.PendingPlaintext.text"),
    **_group("a detained person's name, kept as the registry keeps names: searched by its keys, "
             "which would give it away anyway (docs/intake.md)",
             "intake.DetaineeName.surname", "intake.DetaineeName.given",
             "intake.DetaineeName.patronymic", "intake.DetaineeNameKey.key",
             "intake.Detainee.birth_date"),
    **_group("a protest or event: public, counted on the group's site",
             "intake.ProtestEvent.name", "intake.ProtestEvent.city", "intake.Hotline.city"),
    **_group("the Telegram bot's bookkeeping: a keyed digest of the chat id (a blind index), the "
             "name of the question asked and a language code (docs/intake.md, Telegram bot)",
             "intake.BotConversation.chat_key", "intake.BotConversation.step",
             "intake.BotConversation.language", "intake.BotUpdate.chat_key"),
    **_group("the hotline's public contacts, printed on the public form for anyone to call "
             "(docs/intake.md)", "intake.Hotline.phone", "intake.Hotline.telegram"),
    **_group("the language code an export's columns are named in",
             "intake.DetentionExport.language"),
}
