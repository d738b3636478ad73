"""Graph algorithms of the schedule stage: topological order, and the cycles that prevent one.

Nodes are activity ids, `deps[node]` the nodes it depends on. Everything is iterative (Kahn's
algorithm, Tarjan's strongly connected components with an explicit stack), so 10,000-deep
chains need no recursion. Reporting is schedule.py's job (docs/scheduling.md, section 4).
"""

from __future__ import annotations

from collections import deque
from typing import Iterator, Mapping


def topological_order(ids: list[str], deps: Mapping[str, list[str]]) -> list[str]:
    """A topological order (dependencies first); nodes on or after a cycle are left out."""
    indegree = {aid: len(deps[aid]) for aid in ids}
    dependents = _dependents(ids, deps)
    queue = deque(aid for aid in ids if indegree[aid] == 0)
    order: list[str] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in dependents[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return order


def _dependents(ids: list[str], deps: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The reverse edges: who depends on each node, in `ids` order."""
    dependents: dict[str, list[str]] = {aid: [] for aid in ids}
    for aid in ids:
        for dep in deps[aid]:
            dependents[dep].append(aid)
    return dependents


def break_cycles(ids: list[str], deps: dict[str, list[str]], ordered: set[str]) -> list[tuple[list[str], set[str]]]:
    """Drop the edges inside each knot of cycles among the nodes not `ordered`.

    Returns, per knot (a strongly connected group of two or more), its shortest cycle through
    its smallest id, [first, …, first], and its members.
    """
    rest = [aid for aid in ids if aid not in ordered]
    inner = {aid: [d for d in deps[aid] if d not in ordered] for aid in rest}
    knots = []
    for component in strongly_connected(rest, inner):
        if len(component) < 2:
            continue
        members = set(component)
        knots.append((_shortest_cycle(min(component), members, deps), members))
        for aid in component:
            deps[aid] = [d for d in deps[aid] if d not in members]
    return knots


def _shortest_cycle(start: str, members: set[str], deps: Mapping[str, list[str]]) -> list[str]:
    """The shortest cycle through `start` inside one component: [start, …, start]."""
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    last = start
    while queue:
        node = queue.popleft()
        if start in deps[node]:
            last = node
            break
        for dep in deps[node]:
            if dep in members and dep not in parent:
                parent[dep] = node
                queue.append(dep)
    path = [last]
    while parent[path[-1]] is not None:
        path.append(parent[path[-1]])  # type: ignore[arg-type]
    path.reverse()
    return path + [start]


# -- strongly connected components -----------------------------------------------------


def strongly_connected(nodes: list[str], succ: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    tarjan = _Tarjan(succ)
    for root in nodes:
        if root not in tarjan.index:
            tarjan.explore(root)
    return tarjan.components


class _Tarjan:
    """The state of Tarjan's algorithm; `explore` replaces its recursion by an explicit stack."""

    def __init__(self, succ: Mapping[str, list[str]]) -> None:
        self.succ = succ
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.on_stack: set[str] = set()
        self.stack: list[str] = []
        self.components: list[list[str]] = []

    def explore(self, root: str) -> None:
        """Depth-first from `root`; each frame holds a node and its successors not yet tried."""
        work = [self._enter(root)]
        while work:
            node, children = work[-1]
            child = self._next_unvisited(node, children)
            if child is not None:
                work.append(self._enter(child))
                continue
            work.pop()
            self._leave(node, work[-1][0] if work else None)

    def _enter(self, node: str) -> tuple[str, Iterator[str]]:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        return node, iter(self.succ[node])

    def _next_unvisited(self, node: str, children: Iterator[str]) -> str | None:
        """The next child not visited yet, lowering `node`'s link past those still on the stack."""
        for child in children:
            if child not in self.index:
                return child
            if child in self.on_stack:
                self.low[node] = min(self.low[node], self.index[child])
        return None

    def _leave(self, node: str, parent: str | None) -> None:
        if parent is not None:
            self.low[parent] = min(self.low[parent], self.low[node])
        if self.low[node] == self.index[node]:
            self.components.append(self._pop_component(node))

    def _pop_component(self, root: str) -> list[str]:
        component = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == root:
                return component
