"""The key agent: the one place the master key lives while the vault is unsealed (`agent`),
served over a Unix socket (`server`) to the web workers (`client`)."""
