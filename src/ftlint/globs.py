"""Gitignore-like globs for per-file configuration, matched in linear time.

``**/`` spans any directories (also none), ``**`` anything, ``*`` and ``?``
stay within one name, ``[abc]``/``[a-z]``/``[!a-z]`` one character of a name.

A glob comes from a repository's own config file, which a pull request can
change, so matching must never blow up: instead of a backtracking regex
(where N ``*`` then a mismatch take time exponential in N), the glob's
automaton is simulated over the path with a set of states: at most
len(path) x len(glob) steps whatever the glob.
"""

from __future__ import annotations

from functools import lru_cache

_LITERAL, _ONE, _CLASS, _STAR, _ANY, _DIRS = range(6)


class GlobError(ValueError):
    """A glob that cannot mean anything (an empty one, a reversed range)."""


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> tuple:
    """Tokens of a gitignore-like glob: ``**/`` any directories, ``**`` anything, ``*``/``?``/``[...]`` within one name."""
    if not pattern:
        raise GlobError("an empty glob matches nothing")
    tokens, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            tokens.append((_DIRS,))
            i += 3
        elif pattern[i] == "*":
            star = (_ANY,) if pattern.startswith("**", i) else (_STAR,)
            i += 2 if star == (_ANY,) else 1
            if tokens and tokens[-1] in ((_STAR,), (_ANY,)):  # a run of stars is one star ("**" if any is)
                star = (_ANY,) if (_ANY,) in (star, tokens.pop()) else star
            tokens.append(star)
        elif pattern[i] == "?":
            tokens.append((_ONE,))
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)  # "[]...]": a leading "]" is a member
            body = pattern[i + 1 : end]
            negate = body[:1] in ("!", "^")
            if negate:
                body = body[1:]
            members, j = [], 0
            while j < len(body):
                if j + 2 < len(body) and body[j + 1] == "-":
                    low, high = body[j], body[j + 2]
                    if low > high:
                        raise GlobError(f'bad character range "{low}-{high}" in "[{pattern[i + 1:end]}]"')
                    members.append((low, high))
                    j += 3
                else:
                    members.append((body[j], body[j]))
                    j += 1
            tokens.append((_CLASS, negate, tuple(members)))
            i = end + 1
        else:
            tokens.append((_LITERAL, pattern[i]))
            i += 1
    return tuple(tokens)


def _inside(state: int) -> int:
    """The state "inside the ``**/`` at ``state``" (it has read a character; only a "/" leaves it); and back."""
    return -state - 1


def _closure(states: set[int], tokens: tuple) -> set[int]:
    """Add the states reachable without reading a character (past "*", "**" and "**/")."""
    todo = list(states)
    while todo:
        state = todo.pop()
        if 0 <= state < len(tokens) and tokens[state][0] in (_STAR, _ANY, _DIRS) and state + 1 not in states:
            states.add(state + 1)
            todo.append(state + 1)
    return states


def glob_match(pattern: str, text: str) -> bool:
    """Whether ``text`` (a /-separated path) matches all of ``pattern``."""
    tokens = compile_glob(pattern)
    states = _closure({0}, tokens)
    for char in text:
        following: set[int] = set()
        for state in states:
            if state < 0:  # inside a "**/" (see _inside)
                following.add(state)
                if char == "/":
                    following.add(_inside(state) + 1)
                continue
            if state == len(tokens):
                continue
            token = tokens[state]
            kind = token[0]
            if kind == _LITERAL:
                if token[1] == char:
                    following.add(state + 1)
            elif kind == _ONE:
                if char != "/":
                    following.add(state + 1)
            elif kind == _CLASS:
                if char != "/" and any(low <= char <= high for low, high in token[2]) != token[1]:
                    following.add(state + 1)
            elif kind == _STAR:
                if char != "/":
                    following.add(state)
            elif kind == _ANY:
                following.add(state)
            else:  # _DIRS: "(.*/)?": any characters (the inside state), left on a "/"
                following.add(_inside(state))
                if char == "/":
                    following.add(state + 1)
        if not following:
            return False
        states = _closure(following, tokens)
    return len(tokens) in states
