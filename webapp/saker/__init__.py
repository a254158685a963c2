"""Saker: §12 cases through the routine's phases, the aktivitetsplan and the letters (Vedlegg 9–13)."""
