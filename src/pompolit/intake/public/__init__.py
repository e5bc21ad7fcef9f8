"""The public intake: the web form for detainees and relatives (no account, no JavaScript
needed), its private code and status page, the operators' quarantine review, the public counts
page. The Telegram bot calls the same services (`services.submit_public_report`)."""
