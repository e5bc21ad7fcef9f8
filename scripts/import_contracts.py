"""Import-linter contract types of our own (pyproject.toml, `[tool.importlinter]`).

`modules_acyclic`: no import cycle between modules inside the packages named, counting
imports inside functions too. import-linter's own `acyclic_siblings` squashes each subpackage
into one node, so it reports a feature package whose `models.py` is gathered by the app's
`models` (as Django needs) as a cycle although no module imports itself back; this contract
works on modules, as Python does.
"""

from __future__ import annotations

import fnmatch
from collections import deque
from typing import cast

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class ModulesAcyclicContract(Contract):
    type_name = "modules_acyclic"

    packages = fields.ListField(subfield=fields.StringField())
    # Module names (fnmatch patterns) left out of the graph, e.g. tests.
    ignore_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        # The fields hold the parsed options once the contract is made (import-linter's way).
        packages = cast(list[str], self.packages)
        patterns = cast(list[str], self.ignore_modules or [])
        modules = {
            module for module in graph.modules
            if any(module == p or module.startswith(p + ".") for p in packages)
            and not any(fnmatch.fnmatch(module, pattern) for pattern in patterns)
        }
        edges = {m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in modules}
        cycles = [shortest_cycle(component, edges) for component in strongly_connected(edges)]
        described = [
            [(a, b, line_of(graph, a, b))
             for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)]
            for cycle in sorted(cycles)
        ]
        return ContractCheck(kept=not described, metadata={"cycles": described})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(f"An import cycle of {len(cycle)} modules:", bold=True)
            for importer, imported, line in cycle:
                output.indent_cursor()
                output.print_error(f"- {importer} -> {imported} (l.{line})")
            output.new_line()


def strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            for target in targets:
                if target in on_stack:
                    low[node] = min(low[node], low[target])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    found.append(sorted(component))
    return found


def shortest_cycle(component: list[str], edges: dict[str, list[str]]) -> list[str]:
    """The shortest way from the group's first module back to itself, inside the group."""
    start, inside = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in edges[node]:
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if target in inside and target not in came_from:
                came_from[target] = node
                queue.append(target)
    return [start]


def line_of(graph: grimp.ImportGraph, importer: str, imported: str) -> int:
    details = graph.get_import_details(importer=importer, imported=imported)
    return min((d["line_number"] for d in details), default=0)
