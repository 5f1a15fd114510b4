"""The checks behind each notebook's exercises, one module per chapter.

Each `check_<exercise>(student_function)` runs the student's function on random inputs of
several shapes against a reference and prints one line: ✓, or the mistake it recognises.
Keeping them here keeps the reference answers out of the notebooks students receive.
"""
