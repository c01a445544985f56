"""Fill empty msgstr entries of a .po file from a Python dict file (msgid -> translation).

Usage: python scripts/fill_po.py PO_FILE TRANSLATIONS.py  (TRANSLATIONS.py defines a dict T).
Only entries whose msgstr is empty are filled; then run `kawaltps compilemessages`.
"""

import re
import runpy
import sys


def main(po_path: str, table_path: str) -> None:
    table = runpy.run_path(table_path)["T"]
    text = open(po_path, encoding="utf-8").read()

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace('"', '\\"')

    def fill(m: re.Match) -> str:
        msgid = m.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if msgid in table:
            return f'msgid "{m.group(1)}"\nmsgstr "{esc(table[msgid])}"'
        return m.group(0)

    text = re.sub(r'^msgid "(.+)"\nmsgstr ""$', fill, text, flags=re.M)
    text = text.replace("#, fuzzy\n", "", 1)
    open(po_path, "w", encoding="utf-8").write(text)
    missing = re.findall(r'^msgid "(.+)"\nmsgstr ""$', text, flags=re.M)
    print(f"untranslated: {len(missing)}", *missing[:20], sep="\n  ")


if __name__ == "__main__":
    main(*sys.argv[1:])
