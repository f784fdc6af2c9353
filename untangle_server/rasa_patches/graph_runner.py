"""Run the model's graph node by node in the server's thread, without building a dask graph for every run.

Rasa 3.6 runs the trained graph with `DaskGraphRunner` twice or more per message (once for the NLU, once per
dialogue prediction). Each run rebuilds the minimal schema for its targets, formats every input into a debug string
(even when debug logging is off), builds a dask graph and lets dask's synchronous scheduler order and run it: about
a fifth of a turn's time here. The nodes, their order and their inputs are the same on every run with the same
targets, so this runner works the order out once per set of targets and calls the same `GraphNode`s in it.
Exceptions from components pass through as they do with dask; inputs named like a node are refused as Rasa does.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

# A node and the names of the nodes or inputs whose outputs it takes, in the order of its schema's `needs`.
NodeStep = Tuple[Text, Tuple[Text, ...]]


class SequentialGraphRunner(DaskGraphRunner):
    """`DaskGraphRunner`'s graph, nodes and results, executed in a fixed dependency order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._steps_by_targets: Dict[Tuple[Text, ...], List[NodeStep]] = {}

    def run(self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        # As in dask's graphs, each output is a (node name, value) pair, which is what `GraphNode` expects.
        outputs: Dict[Text, Any] = {}
        for input_name, input_value in (inputs or {}).items():
            if input_name in self._graph_schema.nodes:
                raise GraphRunError(f"Input '{input_name}' clashes with a node name in the graph schema.")
            outputs[input_name] = (input_name, input_value)
        try:
            for node_name, needs in self._steps_for(run_targets):
                # A need that nothing provided is passed by name, as dask does; the node reports it.
                outputs[node_name] = self._instantiated_nodes[node_name](*(outputs.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return {target: outputs[target][1] for target in run_targets}

    def _steps_for(self, targets: Tuple[Text, ...]) -> List[NodeStep]:
        if targets not in self._steps_by_targets:
            self._steps_by_targets[targets] = execution_order(
                {name: tuple(node.needs.values()) for name, node in self._graph_schema.nodes.items()}, targets
            )
        return self._steps_by_targets[targets]


def execution_order(needs_by_node: Dict[Text, Tuple[Text, ...]], targets: Tuple[Text, ...]) -> List[NodeStep]:
    """Every node the targets depend on, each after the nodes it needs (names that are not nodes are inputs)."""
    ordered: List[NodeStep] = []
    placed: set = set()

    def place(name: Text, visiting: Tuple[Text, ...] = ()) -> None:
        if name in placed or name not in needs_by_node:
            return
        if name in visiting:
            raise GraphRunError(f"The graph has a cycle through node '{name}'.")
        for need in needs_by_node[name]:
            place(need, visiting + (name,))
        placed.add(name)
        ordered.append((name, needs_by_node[name]))

    for target in targets:
        place(target)
    return ordered


def install() -> None:
    """Make the servers' message processor load models with this runner (training is unchanged)."""
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner
