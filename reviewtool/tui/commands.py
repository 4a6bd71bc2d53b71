"""Every action of the current screen in the command palette (ctrl+p).

The provider lists the active bindings of the screen the palette was opened from, with
their keys, so the palette and the key map can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


class ActionsProvider(Provider):
    """Commands: the current screen's (and the app's) bindings."""

    def _actions(self) -> Iterator[tuple[str, str, DOMNode, str]]:
        seen: set[tuple[int, str]] = set()
        keys: dict[tuple[int, str], list[str]] = {}
        found = []
        for key, active in self.screen.active_bindings.items():
            b = active.binding
            if not active.enabled or b.action in ("command_palette",):
                continue
            ident = (id(active.node), b.action)
            keys.setdefault(ident, []).append(self.app.get_key_display(b) if key == b.key
                                              else key)
            if ident not in seen:
                seen.add(ident)
                found.append((ident, b, active.node))
        for ident, b, node in found:
            name = (b.description or b.action).strip()
            help_text = b.tooltip or name
            yield name, f"{help_text} · key: {', '.join(keys[ident])}", node, b.action

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)  # the action in the node's namespace

    async def discover(self) -> Hits:
        for name, help_text, node, action in self._actions():
            yield DiscoveryHit(name, partial(self._run, node, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, node, action in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, node, action),
                          help=help_text)
