from dataclasses import dataclass, field


@dataclass
class Report:
    """What was checked, in plain sentences, and the facts a machine may want."""

    checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said but not a check
    facts: dict[str, object] = field(default_factory=dict)

    def passed(self, sentence: str) -> None:
        self.checks.append(sentence)

    def note(self, sentence: str) -> None:
        self.notes.append(sentence)
