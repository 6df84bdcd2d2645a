"""Spreadsheet import and export (issue 5; docs/imports.md)."""
