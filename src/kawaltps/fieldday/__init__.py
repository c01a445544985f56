"""Election day in the field (hari H): check-in, the board, turnout, the checklist, incidents."""
