"""The school as its leaders set it up: staff, classes, pupils, the schoolyard map and its zones."""
