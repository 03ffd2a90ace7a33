"""What the contract suite exercised, reported at the end of the run."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ContractCoverage:
    """Operations and (operation, status) pairs exercised against Prism."""

    operations: set[tuple[str, str]] = field(default_factory=set)
    statuses: set[tuple[str, str, str]] = field(default_factory=set)
    examples: set[tuple[str, str, str, str]] = field(default_factory=set)

    def summary(self) -> str:
        """One line for the terminal summary."""
        packages = len({package for package, _ in self.operations})
        return (
            f"Prism contract coverage: {len(self.operations)} operation(s) in {packages} package(s), "
            f"{len(self.statuses)} documented (operation, status) pair(s), "
            f"{len(self.examples)} named example(s)"
        )


COVERAGE = ContractCoverage()
