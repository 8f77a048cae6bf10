"""Source-level mutants of reference_impl/core.

A C++ file is scanned once into code, comments, string and character literals and preprocessor
lines; the mutation operators look only at code (and, for the response literals, at string
literals), so that a comment or an #include is never mutated. Every mutant has an identity that
does not depend on its line number: the file, the operator, the text of the mutated line, which
occurrence on that line and the replacement. Edits elsewhere in the file keep the identity (the
equivalent-mutant list stays valid); an edit of the line itself makes a new mutant.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

CORE_DIR = "reference_impl/core"


@dataclasses.dataclass(frozen=True)
class Mutant:
    file: str          # path relative to the repository
    operator: str      # ROR, LCR, NOT, BOOL, CONST, ERRCODE, DEL, BRANCH, STR
    start: int         # byte offset of the replaced text in the file
    end: int
    original: str
    replacement: str
    line: int          # 1-based, for the reports only
    line_text: str     # the original line, stripped
    occurrence: int    # which same-operator site on that line
    twin: int = 0      # which of the file's lines with this same text

    @property
    def identity(self) -> str:
        key = "\x1f".join([self.file, self.operator, self.line_text, str(self.occurrence),
                           self.original, self.replacement] + ([str(self.twin)] if self.twin else []))
        return hashlib.sha1(key.encode()).hexdigest()[:16]

    def apply(self, source: str) -> str:
        assert source[self.start:self.end] == self.original, (self.file, self.line)
        return source[:self.start] + self.replacement + source[self.end:]

    def describe(self) -> str:
        return f"{self.operator}: `{self.original}` -> `{self.replacement}`"


def mask_source(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Returns the text with comments, literals and preprocessor lines blanked (same offsets), and
    the spans (start, end) of the ordinary string literals, quotes included."""
    out = list(text)
    strings: list[tuple[int, int]] = []
    i, n = 0, len(text)
    at_line_start = True

    def blank(a: int, b: int) -> None:
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "\n":
            at_line_start = True
            i += 1
            continue
        if at_line_start and c in " \t":
            i += 1
            continue
        if at_line_start and c == "#":
            j = i
            while j < n and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                    continue
                j += 1
            blank(i, j)
            i = j
            continue
        at_line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif c == 'R' and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            d = text.find("(", i + 2)
            delim = ")" + text[i + 2:d] + '"'
            j = text.find(delim, d) + len(delim)
            blank(i, j)
            i = j
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):
            # A char literal, or a digit separator (1'000) which the isalnum test leaves as code.
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j += 1
            if c == '"':
                strings.append((i, j))
            blank(i, j)
            i = j
        else:
            i += 1
    return "".join(out), strings


def _line_info(text: str, offset: int) -> tuple[int, str, int]:
    ls = text.rfind("\n", 0, offset) + 1
    le = text.find("\n", offset)
    le = len(text) if le < 0 else le
    return text.count("\n", 0, offset) + 1, text[ls:le], ls


class _Builder:
    def __init__(self, rel: str, text: str):
        self.rel, self.text = rel, text
        self.mutants: list[Mutant] = []
        self._occ: dict[tuple[int, str], int] = {}
        self._twin: dict[int, int] = {}
        seen: dict[str, int] = {}
        for number, line_text in enumerate(text.split("\n"), start=1):
            key = line_text.strip()
            self._twin[number] = seen.get(key, 0)
            seen[key] = self._twin[number] + 1

    def add(self, op: str, start: int, end: int, replacement: str) -> None:
        original = self.text[start:end]
        if original == replacement:
            return
        line, line_text, ls = _line_info(self.text, start)
        k = (line, op)
        occ = self._occ.get(k, 0)
        self._occ[k] = occ + 1
        self.mutants.append(Mutant(self.rel, op, start, end, original, replacement, line,
                                   line_text.strip(), occ, self._twin[line]))


ROR_SWAPS = {"==": ["!="], "!=": ["=="], "<": ["<=", ">="], "<=": ["<", ">"],
             ">": [">=", "<="], ">=": [">", "<"]}
ERR_NAMES = ["unknown", "busy", "dns", "network", "session_closed", "data_closed", "context",
             "timeout", "illegal", "not_found", "unreadable"]
# Words a declaration or a control statement starts with: such a line is never deleted.
_NOT_DELETABLE = re.compile(
    r"^\s*(return|break|continue|case|default|using|namespace|const|constexpr|static|auto|if|"
    r"else|for|while|switch|do|goto|template|typename|struct|class|enum|public|private|"
    r"protected|friend|virtual|explicit|inline|bool|int|char|unsigned|long|short|double|float|"
    r"void|std::(?:size_t|int64_t|uint64_t|int32_t|uint32_t|uint8_t|string|string_view|"
    r"optional|vector|array|span|pair|unique_ptr|deque|map|set|function|uint16_t)\b)")
_DECLARATION = re.compile(r"^\s*[A-Za-z_][\w:]*(?:<[^;]*>)?[\s&*]+[A-Za-z_]\w*\s*(=|\{|\(|;|\[)")
_RESPONSE_WORDS = re.compile(r"OK|ERROR|CONNECT|CARRIER|QFTP|QI|QF|CME|Revision|Quectel|\+|:|,|\\r|\\n")


def mutants_of_file(root: Path, rel: str) -> list[Mutant]:
    text = (root / rel).read_text()
    code, strings = mask_source(text)
    b = _Builder(rel, text)

    # ROR: binary relational operators written with a space on both sides (templates and
    # stream operators are never spaced so).
    for m in re.finditer(r"(?<=\s)(==|!=|<=|>=|<|>)(?=\s)", code):
        for r in ROR_SWAPS[m.group(1)]:
            b.add("ROR", m.start(), m.end(), r)
    # LCR: && <-> ||.
    for m in re.finditer(r"(?<=\s)(&&|\|\|)(?=\s)", code):
        b.add("LCR", m.start(), m.end(), "||" if m.group(1) == "&&" else "&&")
    # NOT: a logical negation removed.
    for m in re.finditer(r"!(?!=)(?=[\w(*])", code):
        b.add("NOT", m.start(), m.end(), "")
    # BOOL: true <-> false.
    for m in re.finditer(r"\b(true|false)\b", code):
        b.add("BOOL", m.start(), m.end(), "false" if m.group(1) == "true" else "true")
    # CONST: integer literals +-1 (limits, sizes, counts, codes).
    for m in re.finditer(r"(?<![\w.])(0[xX][0-9a-fA-F']+|\d[\d']*)([uUlL]*)(?![\w.])", code):
        digits, suffix = m.group(1), m.group(2)
        value = int(digits.replace("'", ""), 0 if digits.lower().startswith("0x") else 10)
        for v in (value + 1, value - 1):
            if v < 0:
                continue
            rep = (hex(v) if digits.lower().startswith("0x") else str(v)) + suffix
            b.add("CONST", m.start(), m.end(), rep)
    # ERRCODE: one chapter-3 error code for another (the next one in the list).
    for m in re.finditer(r"\berr::(\w+)\b", code):
        name = m.group(1)
        if name in ERR_NAMES:
            other = ERR_NAMES[(ERR_NAMES.index(name) + 1) % len(ERR_NAMES)]
            b.add("ERRCODE", m.start(1), m.end(1), other)
    # DEL: an expression statement (a call, an assignment, an increment) on a line of its own.
    for m in re.finditer(r"(?m)^([ \t]*)(\S[^\n]*;)[ \t]*$", code):
        stmt = m.group(2)
        prev = code[:m.start()].rstrip()
        if not prev or prev[-1] not in ";{}:)" or prev.endswith("::"):
            continue
        if prev[-1] == ")" and not re.search(r"\b(if|for|while)\b[^\n]*\)$", prev.rsplit("\n", 1)[-1]):
            continue
        if _NOT_DELETABLE.match(stmt) or _DECLARATION.match(stmt):
            continue
        if stmt.count("(") != stmt.count(")") or stmt.count("{") != stmt.count("}"):
            continue
        if not re.search(r"\(|=|\+\+|--", stmt) or stmt.rstrip(";").strip().endswith(")") is False and "=" not in stmt and "++" not in stmt and "--" not in stmt:
            continue
        if stmt.count(";") != 1:
            continue
        b.add("DEL", m.start(2), m.end(2), "{}")
    # BRANCH: an if's condition negated (its branches swapped).
    for m in re.finditer(r"\bif\s*\(", code):
        if code[m.start():m.start() + 12].startswith("if constexpr"):
            continue
        open_ = m.end() - 1
        depth, j = 0, open_
        while j < len(code):
            if code[j] == "(":
                depth += 1
            elif code[j] == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        cond = text[open_ + 1:j]
        if ";" in code[open_ + 1:j]:
            continue  # if with an initialiser
        b.add("BRANCH", open_ + 1, j, "!(" + cond + ")")
    # STR: string literals of the responses: the last character dropped; ": " without its space.
    for s, e in strings:
        lit = text[s + 1:e - 1]
        if not lit or not _RESPONSE_WORDS.search(lit):
            continue
        body = lit[:-2] if len(lit) >= 2 and lit[-2] == "\\" else lit[:-1]
        b.add("STR", s, e, '"' + body + '"')
        if ": " in lit:
            b.add("STR", s, e, '"' + lit.replace(": ", ":", 1) + '"')
    return b.mutants


def core_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / CORE_DIR).rglob("*")
                  if p.suffix in (".cpp", ".h"))


def all_mutants(root: Path) -> list[Mutant]:
    out: list[Mutant] = []
    for rel in core_files(root):
        out.extend(mutants_of_file(root, rel))
    return out
