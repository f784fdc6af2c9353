"""Run the custom actions inside the Rasa server, with the action server's own executor (rasa_sdk).

With `actions_module` in endpoints.yml's `action_endpoint` (the key Rasa Pro uses for the same thing), Untangle's
launcher runs that package's actions in the Rasa process instead of posting each call to `rasa run actions`:

    action_endpoint:
      url: "http://127.0.0.1:5055/webhook"   # still used by the stock `rasa run`, `rasa shell`, ...
      actions_module: "actions"

Each action call is still Rasa's own: `RemoteAction` builds the same request body and reads the answer with the same
checks. Only the transport changes: the body goes through JSON (so an action sees the same plain data and cannot
change Rasa's tracker) to rasa_sdk's `ActionExecutor`, and its answer comes back through JSON. An action that is
rejected, unknown or raises becomes the error the action server's HTTP answer (400, 404 or 500) would have given,
so Rasa handles it in the same way; the log names the action and the exception's type, never the conversation.
A call costs about 0.03 ms in the executor against about 1.1 ms over loopback HTTP, and the action server's
process (about 116 MB) is not needed.
"""

from __future__ import annotations

import functools
import json
import logging
from typing import Any, Dict, Optional, Text

from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from untangle_server.fast_json import plain

logger = logging.getLogger(__name__)
MODULE_KEY = "actions_module"
_rasa_read_endpoints = AvailableEndpoints.read_endpoints.__func__


@functools.cache
def executor_for(package: Text) -> Any:
    """rasa_sdk's executor with the package's actions registered: once per package, though Rasa reads the endpoints
    (and so makes this endpoint) twice as it starts."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package(package)
    return executor


class InProcessActions(EndpointConfig):
    """An action endpoint whose `request` runs the action with rasa_sdk's executor in this process."""

    def __init__(self, endpoint: EndpointConfig, package: Text) -> None:
        super().__init__(
            endpoint.url,
            endpoint.params,
            endpoint.headers,
            endpoint.basic_auth,
            endpoint.token,
            endpoint.token_name,
            endpoint.cafile,
            **endpoint.kwargs,
        )
        self.package = package
        self.executor = executor_for(package)

    async def request(
        self,
        method: Text = "post",
        subpath: Optional[Text] = None,
        content_type: Optional[Text] = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Optional[Any]:
        from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

        action_call: Dict[Text, Any] = plain(kwargs.get("json"))
        action_name = (action_call or {}).get("next_action")
        try:
            result = await self.executor.run(action_call)
        except ActionExecutionRejection as rejection:
            raise _error(
                400, "Bad Request", {"error": rejection.message, "action_name": rejection.action_name}
            ) from rejection
        except ActionNotFoundException as unknown:
            logger.error("No custom action named '%s' in the package '%s'.", unknown.action_name, self.package)
            raise _error(404, "Not Found", {"error": unknown.message, "action_name": unknown.action_name}) from unknown
        except Exception as failure:  # noqa: BLE001 - any failure of an action is a 500 from the action server
            logger.error("The custom action '%s' raised %s.", action_name, type(failure).__name__)
            raise _error(500, "Internal Server Error", {"error": type(failure).__name__}) from None
        return plain(result)


def _error(status: int, reason: Text, body: Dict[Text, Any]) -> ClientResponseError:
    return ClientResponseError(status, reason, json.dumps(body))


def in_process(endpoint: Optional[EndpointConfig]) -> Optional[EndpointConfig]:
    """The action endpoint to use: in this process if it names an `actions_module`, else as configured."""
    if endpoint is None or isinstance(endpoint, InProcessActions) or not endpoint.kwargs.get(MODULE_KEY):
        return endpoint
    return InProcessActions(endpoint, endpoint.kwargs[MODULE_KEY])


def read_endpoints(cls: type, endpoint_file: Text) -> AvailableEndpoints:
    endpoints = _rasa_read_endpoints(cls, endpoint_file)
    endpoints.action = in_process(endpoints.action)
    return endpoints


def install() -> None:
    AvailableEndpoints.read_endpoints = classmethod(read_endpoints)
