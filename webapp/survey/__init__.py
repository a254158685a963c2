"""Skolegårdsundersøkelsen (Vedlegg 5): a talk with one pupil at a time, marks on a fresh map, the class's result."""
