"""Inspecting a regular expression for the shapes that make Python's backtracking engine slower than linear.

Python's `re` tries each start position in turn and backtracks within each. A pattern runs in linear time
when both hold:

- **each start is deterministic**: at every repetition, the next character says whether to go on or to
  leave it (what the repetition can start with and what can follow it never share a character), and the
  alternatives inside a repetition start with different characters. `\\s*/?\\s*` or `[^}]*=` break this:
  a run of spaces or of `=` can be split in many ways, each tried in turn.
- **the starts do not read the same stretch again**: a repetition that can still fail the match after it
  does not accept the characters a match starts at (or that its look-behind anchors it after). Otherwise
  each of n starts reads up to n characters: `\\{[^}]*` on a line of `{`.

The character sets are compared over a sample alphabet (ASCII and the non-ASCII characters that matter in
French text and in these patterns): enough to see every overlap of the classes the engine uses.
"""

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

ALPHABET = [chr(code) for code in range(128)] + list("éÉàÀçœ«»\u00a0\u202f\u2028\u200b\u2060\ufeff\uffff٣")
BOUNDED = 100
"""A repetition of at most this many characters costs a constant."""
_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}
# Patterns with a possessive repetition (`*+`) are deterministic where it stands: it never gives back.


class Inspector:
    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        self.ignore_case = bool(pattern.flags & re.IGNORECASE)
        self.multiline = bool(pattern.flags & re.MULTILINE)
        self.dotall = bool(pattern.flags & re.DOTALL)
        self.flaws: list[str] = []

    # --- what one element can match -----------------------------------------------------------------

    def _same(self, code: int, char: str) -> bool:
        return chr(code) == char or (self.ignore_case and chr(code).lower() == char.lower())

    def _in(self, items: list, char: str) -> bool:
        negate = False
        found = False
        for op, av in items:
            if op is C.NEGATE:
                negate = True
            elif op is C.LITERAL:
                found = found or self._same(av, char)
            elif op is C.RANGE:
                low, high = av
                found = found or low <= ord(char) <= high or (self.ignore_case and (
                    low <= ord(char.lower()) <= high or low <= ord(char.upper()[:1] or char) <= high))
            elif op is C.CATEGORY:
                found = found or bool(re.fullmatch(_CATEGORIES[av], char))
            else:
                raise AssertionError(f"unknown set item {op}")
        return found != negate

    def chars(self, op, av) -> set[str] | None:
        """The characters a one-character element matches; None for other elements."""
        if op is C.LITERAL:
            return {char for char in ALPHABET if self._same(av, char)}
        if op is C.NOT_LITERAL:
            return {char for char in ALPHABET if not self._same(av, char)}
        if op is C.ANY:
            return {char for char in ALPHABET if self.dotall or char != "\n"}
        if op is C.IN:
            return {char for char in ALPHABET if self._in(av, char)}
        if op is C.CATEGORY:
            return {char for char in ALPHABET if re.fullmatch(_CATEGORIES[av], char)}
        return None

    def first(self, items) -> tuple[set[str], bool]:
        """What a sequence of elements can start with, and whether it can match nothing."""
        found: set[str] = set()
        for op, av in items:
            start, empty = self.first_of(op, av)
            found |= start
            if not empty:
                return found, False
        return found, True

    def first_of(self, op, av) -> tuple[set[str], bool]:
        single = self.chars(op, av)
        if single is not None:
            return single, False
        if op is C.SUBPATTERN:
            return self.first(av[-1])
        if op is C.ATOMIC_GROUP:
            return self.first(av)
        if op is C.BRANCH:
            results = [self.first(branch) for branch in av[1]]
            return set().union(*(start for start, _ in results)), any(empty for _, empty in results)
        if op in _REPEATS:
            start, empty = self.first(av[2])
            return start, empty or av[0] == 0
        return set(), True  # anchors, look-arounds, group references: zero-width here

    # --- the two rules -----------------------------------------------------------------------------------

    def walk(self, items, follow: set[str], guard: set[str] | None, can_fail_after: bool) -> None:
        items = list(items)
        for index, (op, av) in enumerate(items):
            rest, rest_empty = self.first(items[index + 1:])
            after = rest | (follow if rest_empty else set())
            fails_after = not rest_empty or can_fail_after
            if op in _REPEATS:
                _, high, body = av
                unbounded = high is C.MAXREPEAT or high > BOUNDED
                start, _ = self.first(body)
                if unbounded:
                    shared = start & after
                    if shared and op is not C.POSSESSIVE_REPEAT:  # a possessive one never gives back
                        self.flaws.append(f"a repetition can go on or stop on {sorted(shared)[:5]}")
                    if guard is not None and fails_after:
                        inside = set().union(*(self.every_char(item) for item in body))
                        if inside & guard:
                            self.flaws.append(f"each start may read again the characters {sorted(inside & guard)[:5]}")
                    self.check_branches(body)
                self.walk(body, after | start if high is C.MAXREPEAT or high > 1 else after, guard, fails_after)
            elif op is C.SUBPATTERN:
                self.walk(av[-1], after, guard, fails_after)
            elif op is C.ATOMIC_GROUP:
                self.walk(av, after, guard, fails_after)
            elif op is C.BRANCH:
                for branch in av[1]:
                    self.walk(branch, after, guard, fails_after)

    def check_branches(self, body) -> None:
        """Alternatives inside a repetition must start with different characters."""
        for op, av in body:
            if op is C.BRANCH:
                seen: set[str] = set()
                for branch in av[1]:
                    start, _ = self.first(branch)
                    if start & seen:
                        self.flaws.append(f"alternatives in a repetition share {sorted(start & seen)[:5]}")
                    seen |= start
            elif op is C.SUBPATTERN:
                self.check_branches(av[-1])

    def every_char(self, item) -> set[str]:
        op, av = item
        single = self.chars(op, av)
        if single is not None:
            return single
        if op is C.SUBPATTERN:
            return set().union(set(), *(self.every_char(sub) for sub in av[-1]))
        if op is C.BRANCH:
            return set().union(set(), *(self.every_char(sub) for branch in av[1] for sub in branch))
        if op in _REPEATS:
            return set().union(set(), *(self.every_char(sub) for sub in av[2]))
        return set()

    def guard(self, items) -> set[str] | None:
        """Where a search may start a match: after these characters (an anchor, a look-behind) or on the
        characters the pattern starts with; None when it only matches at the start of the text."""
        items = list(items)
        if not items:
            return set()
        op, av = items[0]
        if op is C.AT:
            if av is C.AT_BEGINNING and self.multiline:
                return {"\n"}
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                return None
        if op is C.ASSERT and av[0] < 0:
            return self.first(av[1])[0]
        if op is C.SUBPATTERN or op is C.BRANCH:
            branches = [av[-1]] if op is C.SUBPATTERN else av[1]
            guards = [self.guard(branch) for branch in branches]
            if all(guard is None or guard for guard in guards):
                return set().union(set(), *(guard or set() for guard in guards))
        return self.first(items)[0]

    def flaws_of(self) -> list[str]:
        tree = list(P.parse(self.pattern.pattern, self.pattern.flags))
        alternatives = tree[0][1][1] if len(tree) == 1 and tree[0][0] is C.BRANCH else [tree]
        for alternative in alternatives:
            self.walk(alternative, set(), self.guard(alternative), False)
        return self.flaws


def flaws(pattern: re.Pattern[str]) -> list[str]:
    """Why a pattern may take more than linear time; empty when it is linear (see the module)."""
    return Inspector(pattern).flaws_of()
