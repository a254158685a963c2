"""Log in with Feide: the owners' choice, linked accounts, the OpenID Connect log-in, classes from Feide."""
