"""SARIF 2.1.0 report (GitHub code scanning, IDE viewers).

One run; ``tool.driver.rules`` describes every registered rule (results point
at it by ``ruleIndex``). Results are written as they arrive, like the JSON
report; the driver and the invocation (with unreadable files as tool
notifications) close the document. File-level problems carry only the
artifact location, no region.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import orjson

from ftlint import __version__
from ftlint.results import FileResult
from ftlint.escape import utf8
from ftlint.problem import Level, Problem
from ftlint.reporters import Reporter, RunSummary, rule_table, rule_url, shown_column
from ftlint.reporters.text import message_with_path

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A URI of the file's real bytes (percent-encoded, so an undecodable file name is exact too)."""
    if os.path.isabs(path):
        return "file://" + quote(os.fsencode(Path(path).as_posix()), safe="/")
    return quote(os.fsencode(path.replace(os.sep, "/")), safe="/")


def rule_descriptor(rule) -> dict:
    body = rule.doc.strip().split("\n", 1)[1].strip() if "\n" in rule.doc.strip() else rule.summary
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": body, "markdown": body},
        "defaultConfiguration": {"level": LEVEL[rule.level], "enabled": rule.enabled},
    }
    url = rule_url(rule)
    if url:
        descriptor["helpUri"] = url
    return descriptor


class SarifReporter(Reporter):
    name = "sarif"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = list(rule_table().values())
        self.rule_index = {rule.code: i for i, rule in enumerate(self.rules)}
        self.results_written = 0
        self.unreadable: list[str] = []
        head = {"$schema": SCHEMA_URI, "version": "2.1.0"}
        self.out.write(orjson.dumps(head).decode()[:-1] + ', "runs": [{"results": [')

    def result(self, p: Problem) -> dict:
        location: dict = {"artifactLocation": {"uri": artifact_uri(p.path)}}
        if p.line is not None:
            location["region"] = {"startLine": p.line, "startColumn": shown_column(p)}
        result = {
            "ruleId": p.code,
            "level": LEVEL[p.level],
            "message": {"text": utf8(message_with_path(p))},
            "locations": [{"physicalLocation": location}],
        }
        if p.code in self.rule_index:
            result["ruleIndex"] = self.rule_index[p.code]
        if p.json_path:
            result["properties"] = {"jsonPath": p.json_path}
        return result

    def problem(self, problem: Problem) -> None:
        sep = ", " if self.results_written else ""
        self.out.write(sep + orjson.dumps(self.result(problem)).decode())
        self.results_written += 1

    def end_file(self, result: FileResult) -> None:
        super().end_file(result)
        if result.error:
            self.unreadable.append(utf8(result.error))

    def finish(self, summary: RunSummary) -> None:
        driver = {
            "name": "ftlint",
            "version": __version__,
            "informationUri": "https://github.com/ftlint/ftlint",
            "rules": [rule_descriptor(rule) for rule in self.rules],
        }
        invocation = {
            "executionSuccessful": not self.unreadable,
            "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in self.unreadable],
        }
        # Columns count Unicode code points, as every ftlint output does; SARIF's default is UTF-16 code units,
        # which differ after any character outside the Basic Multilingual Plane (an emoji).
        tail = {"tool": {"driver": driver}, "invocations": [invocation], "columnKind": "unicodeCodePoints"}
        self.out.write("], " + orjson.dumps(tail).decode()[1:] + "]}\n")
