"""Write nginx.conf for the scaled set-up from deploy/nginx.conf.template.

    python -m deploy.nginx_conf --listen 127.0.0.1:8000 --actions-listen 127.0.0.1:5054 \\
        --rasa 127.0.0.1:5005 127.0.0.1:5006 --actions 127.0.0.1:5055 127.0.0.1:5056 --prefix /var/lib/untangle-nginx

writes <prefix>/nginx.conf and creates the prefix's logs/ and tmp/ folders; start nginx with
`nginx -c <prefix>/nginx.conf -p <prefix>`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import List, Optional, Sequence

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULT_RATE = "2r/s"
DEFAULT_BURST = 20
# Tells which replica answered; for tests and debugging only, it shows internal addresses to clients.
UPSTREAM_HEADER = "        add_header X-Upstream $upstream_addr always;"
# The web widget's files at /widget/ (deploy/compose.yml): read-only, GET only, cached for an hour.
WIDGET_LOCATION = """        location ^~ /widget/ {{
            limit_except GET {{ deny all; }}
            alias {root}/;
            expires 1h;
        }}
"""


def server_lines(addresses: Sequence[str]) -> str:
    """One `server` line per replica; after a failed connection it is left out for 10 s."""
    return "\n".join(f"        server {address} max_fails=1 fail_timeout=10s;" for address in addresses)


def render(
    listen: str,
    actions_listen: str,
    rasa: Sequence[str],
    actions: Sequence[str],
    rate: str = DEFAULT_RATE,
    burst: int = DEFAULT_BURST,
    upstream_header: bool = False,
    widget_root: Optional[str] = None,
) -> str:
    """The nginx configuration text."""
    if len(rasa) < 1 or len(actions) < 1:
        raise ValueError("at least one Rasa replica and one action server are needed")
    values = {
        "listen": listen,
        "actions_listen": actions_listen,
        "rate": rate,
        "burst": str(burst),
        "rasa_servers": server_lines(rasa),
        "action_servers": server_lines(actions),
        "extra_headers": UPSTREAM_HEADER if upstream_header else "",
        "widget_location": WIDGET_LOCATION.format(root=widget_root.rstrip("/")) if widget_root else "",
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    if re.search(r"\{\{[a-z_]+\}\}", text):
        raise ValueError("nginx.conf.template has a value render() does not fill in")
    return text


def write(prefix: Path, **values) -> Path:
    """Write <prefix>/nginx.conf and the folders it names; returns the file's path."""
    for folder in ("logs", "tmp"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(**values), encoding="utf-8")
    return conf


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="public address:port (the widget's data-server)")
    parser.add_argument("--actions-listen", required=True, help="internal address:port for the action endpoint")
    parser.add_argument("--rasa", nargs="+", required=True, help="Rasa replicas, address:port each")
    parser.add_argument("--actions", nargs="+", required=True, help="action servers, address:port each")
    parser.add_argument("--prefix", type=Path, required=True, help="nginx prefix dir: config, logs, temp files")
    parser.add_argument("--rate", default=DEFAULT_RATE, help="messages per client address, e.g. 2r/s")
    parser.add_argument("--burst", type=int, default=DEFAULT_BURST)
    parser.add_argument("--widget-root", help="serve this folder (the web widget) at /widget/")
    args = parser.parse_args(argv)
    conf = write(
        args.prefix.resolve(),
        listen=args.listen,
        actions_listen=args.actions_listen,
        rasa=args.rasa,
        actions=args.actions,
        rate=args.rate,
        burst=args.burst,
        widget_root=args.widget_root,
    )
    print(conf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
