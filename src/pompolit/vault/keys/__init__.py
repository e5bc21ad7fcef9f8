"""The vault's keys: set-up, keyholders and their shares, unsealing and sealing, keyholder
changes (a new master key), and each process's ring of data keys (`keyring`)."""
