"""English for the legal app's catalogue (msgid -> msgstr); fill with scripts/fill_po.py."""

T = {
}
