"""The session engine (settings.SESSION_ENGINE): sessions in the database, where a request
that changed nothing in its session only moves the session's expiry.

Every request pushes the idle expiry forward (settings.SESSION_SAVE_EVERY_REQUEST), and
Django's database sessions do it by writing the whole session back, as that request read it at
its start. A slow request that changed nothing — a type-ahead, matches as a name is typed, a
board polled every few seconds — would then write an old copy over what a request in between
stored: a message ("Written down: detention #349"), a sudo time, a pending upload. Here such a
save is one UPDATE of the expiry date; a session changed (or new) is saved whole, as before."""

from __future__ import annotations

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        if not must_create and not self.modified and self.session_key:
            moved = self.model.objects.filter(session_key=self.session_key).update(
                expire_date=self.get_expiry_date()
            )
            if moved:
                return
        super().save(must_create=must_create)
