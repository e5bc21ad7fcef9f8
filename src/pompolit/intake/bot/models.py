"""What the Telegram bot keeps between two messages, and for how long.

`BotConversation` holds one chat's answers so far, encrypted under the organisation-wide key
(the town, and so the hotline, is not known until it is answered). The chat is found by a
blind index of its id (a keyed digest; the key lives only in the unsealed vault), never by the
id itself. A conversation is deleted when its report is sent, when the person cancels, and
`POMPOLIT_BOT_CONVERSATION_MINUTES` after its last message: a seized server holds no
half-answers for long, and no report holds a chat id.

`BotUpdate` is an update from Telegram between the webhook (or the long poll) and the worker
that answers it: encrypted, and deleted as soon as it is handled. It carries its chat's blind
index (the conversation's `chat_key`) and Telegram's own update number, so that the worker
answers a chat's messages one at a time and in the order they were sent (`services`).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pompolit.vault.fields import EncryptedJSONField, VaultModel


class BotConversation(VaultModel):
    vault_compartment_field = None

    # blind_digest("intake.telegram-chat", str(chat id)): finds the chat's conversation.
    chat_key = models.CharField(max_length=64, unique=True)
    step = models.CharField(max_length=24)
    language = models.CharField(max_length=8)
    answers = EncryptedJSONField(sensitivity="secret", blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Telegram's numbers of the last updates applied (services.SEEN_KEPT): one sent again is
    # not applied twice.
    seen = models.JSONField(default=list, blank=True)

    classification = dict.fromkeys(
        ["chat_key", "step", "language", "updated_at", "seen"], "internal"
    )

    class Meta:
        app_label = "intake"

    def __str__(self) -> str:
        return f"conversation at {self.step}"


class BotUpdate(VaultModel):
    vault_compartment_field = None

    body = EncryptedJSONField(sensitivity="secret")
    received_at = models.DateTimeField(default=timezone.now)
    # As BotConversation.chat_key; empty on updates queued before it was kept (answered alone).
    chat_key = models.CharField(max_length=64, blank=True, default="")
    # Telegram's update_id: they "increase sequentially" (Bot API, Update).
    telegram_id = models.BigIntegerField(null=True, blank=True)

    classification = dict.fromkeys(["received_at", "chat_key", "telegram_id"], "internal")

    class Meta:
        app_label = "intake"
        indexes = [models.Index(fields=["chat_key", "telegram_id"], name="intake_botupdate_chat")]

    def __str__(self) -> str:
        return f"update received {self.received_at:%H:%M:%S}"
