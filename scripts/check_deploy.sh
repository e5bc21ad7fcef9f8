#!/bin/sh
# Django's deployment checks under production settings, with throwaway values for the secrets.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python -c 'import secrets; print(secrets.token_urlsafe(64))' > "$tmp/secret"
DJANGO_SETTINGS_MODULE=pompolit.settings.production \
POMPOLIT_SECRET_KEY_FILE="$tmp/secret" \
POMPOLIT_ALLOWED_HOSTS=pompolit.example.org \
POMPOLIT_VAR_DIR="$tmp" \
POMPOLIT_VAULT_SOCKET="$tmp/agent.sock" \
    .venv/bin/pompolit check --deploy --fail-level WARNING
