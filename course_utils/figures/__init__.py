"""Figures particular to one chapter, one module per notebook; shared plots live in plots."""
