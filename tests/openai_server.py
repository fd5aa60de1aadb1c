"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol and replays a script.

Each scripted item is an answer text, a dict {"status": 500} / {"sleep": 2.0} / {"reject": "temperature"} that
shapes one response, or a callable that gets the request body and returns one of those (a model that reacts to
its prompt). Every request body is kept for the test to inspect. POSTs to .../messages get Anthropic's format.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedServer:
    def __init__(self, script: list[Any], models: tuple[str, ...] = ("test-model",)) -> None:
        self.script = list(script)
        self.models = models
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.endswith("/models"):
                    self._send(200, {"data": [{"id": m} for m in server.models]})
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                item = server.script.pop(0) if server.script else "out of script"
                if callable(item):
                    item = item(body)
                if isinstance(item, dict) and "sleep" in item:
                    time.sleep(item["sleep"])
                    item = item.get("then", "slow answer")
                if isinstance(item, dict) and "status" in item:
                    return self._send(item["status"], {"error": {"message": f"scripted {item['status']}"}})
                if isinstance(item, dict) and "reject" in item:
                    if item["reject"] in body:
                        return self._send(400, {"error": {"message": f"unknown field {item['reject']}"}})
                    item = item.get("then", "accepted")
                if self.path.endswith("/messages"):
                    return self._send(200, {"model": body.get("model"), "content": [{"type": "text", "text": item}],
                                            "usage": {"input_tokens": 100, "output_tokens": 20}})
                self._send(200, {"model": body.get("model"), "choices": [{"message": {"role": "assistant",
                                 "content": item}}], "usage": {"prompt_tokens": 100, "completion_tokens": 20}})

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
