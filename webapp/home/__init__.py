"""The home screen: what each person needs first, one thumb away."""
