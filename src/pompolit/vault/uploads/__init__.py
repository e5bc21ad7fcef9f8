"""Files uploaded for an import, kept encrypted between preview and commit, and the clean-up
of the expired ones (`housekeeping`)."""
