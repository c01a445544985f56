"""Fill a .po file's translations from a Python dict file (msgid -> translation).

Usage: python scripts/fill_po.py PO_FILE TRANSLATIONS.py [MORE.py|OLD.po ...]
(a .py defines a dict T; a .po lends its translated entries, e.g. both sides of a merge; the first
source that has a msgid wins).

Every entry whose msgid is in the table gets the table's translation; msgmerge's guesses
(``#, fuzzy`` with ``#| msgid``) are replaced, never kept. Wrapped msgids are read whole. Entries not
in the table keep what they have; the untranslated ones are listed. Then run `kawaltps compilemessages`.
"""

import re
import runpy
import sys


def _unquote(lines: list[str]) -> str:
    raw = "".join(re.match(r'^(?:msgid |msgstr )?"(.*)"$', ln).group(1) for ln in lines)
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), raw)


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill_block(block: str, table: dict) -> tuple[str, bool]:
    """One entry → (new text, translated?)."""
    lines = block.split("\n")
    try:
        i = next(n for n, ln in enumerate(lines) if ln.startswith("msgid "))
    except StopIteration:
        return block, True
    j = i + 1
    while j < len(lines) and lines[j].startswith('"'):
        j += 1
    msgid = _unquote(lines[i:j])
    if msgid == "" or not lines[j:] or not lines[j].startswith("msgstr "):
        return block, True
    k = j + 1
    while k < len(lines) and lines[k].startswith('"'):
        k += 1
    head = [ln for ln in lines[:i] if not ln.startswith("#|")]
    if msgid in table:
        head = [ln for ln in head if ln.strip() != "#, fuzzy"]
        head = [re.sub(r",\s*fuzzy", "", ln) if ln.startswith("#,") else ln for ln in head]
        head = [ln for ln in head if ln.strip() != "#,"]
        return "\n".join([*head, *lines[i:j], "msgstr " + _quote(table[msgid]), *lines[k:]]), True
    current = _unquote(lines[j:k])
    fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in head)
    return block, bool(current) and not fuzzy


def po_pairs(path: str) -> dict[str, str]:
    """msgid -> msgstr of the translated, non-fuzzy entries of a .po file."""
    pairs = {}
    for block in open(path, encoding="utf-8").read().split("\n\n"):
        lines = block.split("\n")
        if any(ln.startswith("#,") and "fuzzy" in ln for ln in lines):
            continue
        try:
            i = next(n for n, ln in enumerate(lines) if ln.startswith("msgid "))
        except StopIteration:
            continue
        j = i + 1
        while j < len(lines) and lines[j].startswith('"'):
            j += 1
        if j >= len(lines) or not lines[j].startswith("msgstr "):
            continue
        k = j + 1
        while k < len(lines) and lines[k].startswith('"'):
            k += 1
        msgid, msgstr = _unquote(lines[i:j]), _unquote(lines[j:k])
        if msgid and msgstr:
            pairs[msgid] = msgstr
    return pairs


def main(po_path: str, *sources: str) -> None:
    table: dict[str, str] = {}
    for source in reversed(sources):
        table |= po_pairs(source) if source.endswith(".po") else runpy.run_path(source)["T"]
    text = open(po_path, encoding="utf-8").read()
    blocks = text.split("\n\n")
    out, missing = [], []
    for n, block in enumerate(blocks):
        if n == 0:  # the header entry
            out.append(block.replace("#, fuzzy\n", "", 1))
            continue
        new, ok = fill_block(block, table)
        out.append(new)
        if not ok:
            missing.append(new.split("msgid ", 1)[-1].split("\n", 1)[0])
    open(po_path, "w", encoding="utf-8").write("\n\n".join(out))
    print(f"untranslated: {len(missing)}", *missing[:20], sep="\n  ")


if __name__ == "__main__":
    main(*sys.argv[1:])
