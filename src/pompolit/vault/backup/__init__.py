"""Encrypted backups of the database and the attachments, and their restore."""
