"""Operators: schools, their first leaders and school owners."""
