"""Serve a TensorFlow-free model without importing TensorFlow.

Rasa 3.6 imports TensorFlow at start-up even when no component of the model uses it (its policy base module,
its CLI and the default component registry all import it). Here that import costs about 3 s of CPU and
400 MB of resident memory per server. `install()` puts a stand-in in front of the import system: modules can
still be imported, subclass and annotate with TensorFlow names, but *calling* anything from it raises
`TensorFlowNotLoaded`, so a component that really needs TensorFlow fails loudly instead of silently.
`tensorflow_components()` tells, from a trained model's metadata, which components would need it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import json
import sys
import tarfile
import types
from pathlib import Path
from typing import Any, Dict, List, Optional

# Top-level packages Rasa or its dependencies import that pull TensorFlow (and with it jax) in.
STOOD_IN_PACKAGES = ("tensorflow", "tensorflow_text", "tensorflow_hub", "tensorflow_addons", "keras")
# Modules that libraries import only to probe whether TensorFlow is usable (thinc, under spaCy): these stay
# missing, so the probe answers "no TensorFlow" and the library never calls into it.
PROBED_MODULES = ("tensorflow.experimental.dlpack",)
# The file in a Rasa model archive that lists the graph components it runs.
MODEL_COMPONENTS_FILE = "metadata.json"


class TensorFlowNotLoaded(RuntimeError):
    """Something tried to use TensorFlow in a server started without it."""


class _StandInType(type):
    """Metaclass of stand-in names: attribute access gives further stand-ins; calling one raises."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _stand_in(f"{cls.__qualname__}.{name}")

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if _StandInBase not in cls.__bases__:
            return super().__call__(*args, **kwargs)  # a real subclass someone defined on top of a stand-in
        raise TensorFlowNotLoaded(
            f"`{cls.__qualname__}` needs TensorFlow, which this server did not load. The model uses a "
            "TensorFlow component: start it with `rasa run` instead."
        )

    def __bool__(cls) -> bool:
        return False


class _StandInBase(metaclass=_StandInType):
    pass


_stand_ins: Dict[str, type] = {}


def _stand_in(qualified_name: str) -> type:
    if qualified_name not in _stand_ins:
        stand_in = _StandInType(qualified_name.rsplit(".", 1)[-1], (_StandInBase,), {})
        stand_in.__qualname__ = qualified_name
        _stand_ins[qualified_name] = stand_in
    return _stand_ins[qualified_name]


class _StandInModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _stand_in(f"{self.__name__}.{name}")


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname.split(".", 1)[0] not in STOOD_IN_PACKAGES or fullname in PROBED_MODULES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StandInModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def install() -> None:
    """Stand in for TensorFlow from now on; fails if the real one is already imported."""
    loaded = [
        name for name in STOOD_IN_PACKAGES if name in sys.modules and not isinstance(sys.modules[name], _StandInModule)
    ]
    if loaded:
        raise RuntimeError(f"{loaded} already imported: install() must run before Rasa is imported")
    if not any(isinstance(finder, _StandInFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _StandInFinder())


def is_stand_in(value: Any) -> bool:
    return isinstance(value, (_StandInModule, _StandInType))


def model_component_classes(model_path: Path) -> List[str]:
    """The dotted class names a trained Rasa model runs at prediction time (from its metadata.json)."""
    with tarfile.open(model_path, mode="r:gz") as archive:
        member = next(m for m in archive.getmembers() if m.name.lstrip("/") == MODEL_COMPONENTS_FILE)
        metadata = json.load(archive.extractfile(member))
    nodes = metadata["predict_schema"]["nodes"].values()
    return sorted({node["uses"] for node in nodes})


def tensorflow_components(model_path: Path) -> List[str]:
    """Components of the model whose module uses TensorFlow directly (call after `install()`)."""
    needing_tensorflow = []
    for class_path in model_component_classes(model_path):
        module = importlib.import_module(class_path.rsplit(".", 1)[0])
        if any(is_stand_in(value) for value in vars(module).values()):
            needing_tensorflow.append(class_path)
    return needing_tensorflow
