"""Log-in, log-out and passwords."""
