"""A real HTTP server on 127.0.0.1 for the native computer-use protocols; a scripted model answers each POST.

The model is a callable ``(path, headers, body) -> (status, json)``; every request is kept (path, headers,
body) for the test to inspect. GET .../models lists ``models`` (what `deskpilot doctor` asks).
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

Model = Callable[[str, dict[str, str], dict[str, Any]], tuple[int, dict[str, Any]]]


class ProtocolServer:
    def __init__(self, model: Model, models: tuple[str, ...] = ("test-model",)) -> None:
        self.model = model
        self.models = models
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        server = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.endswith("/models"):
                    self._send(200, {"data": [{"id": m} for m in server.models]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with lock:
                    server.requests.append((self.path, headers, body))
                    try:
                        status, answer = server.model(self.path, headers, body)
                    except Exception as exc:  # a broken script shows up as a 500 the test reports
                        status, answer = 500, {"error": {"message": f"{type(exc).__name__}: {exc}"}}
                self._send(status, answer)

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def v1(self) -> str:
        return self.root + "/v1"

    def __enter__(self) -> ProtocolServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def decode(data: str) -> np.ndarray:
    """A base64 PNG or JPEG (or a data: URL of one) as an RGB array."""
    import cv2

    raw = base64.b64decode(data.split(",", 1)[1] if data.startswith("data:") else data)
    bgr = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
    return bgr[:, :, ::-1]


def centre(image: np.ndarray, rgb: tuple[int, int, int], tol: int = 14) -> tuple[float, float] | None:
    """The centre of the pixels of one colour (a control painted in it), in that image's pixels."""
    near = np.all(np.abs(image.astype(int) - np.array(rgb)) <= tol, axis=2)
    ys, xs = np.nonzero(near)
    if len(xs) < 20:
        return None
    return (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
