"""Themes: what people said, coded and counted. Software suggests, staff decide."""
