"""What `run --open` is given: a missing file is bad input, a page that does not load is said in Chromium's words
(app/desktop/pages.py), against a real loopback HTTP server."""

from __future__ import annotations

import http.server
import socket
import threading
from pathlib import Path

import pytest

from app.desktop.pages import NoSuchFile, load_problem, page_url


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "here.html").write_text("<p>hi</p>")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(tmp_path), **kw)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_path_that_names_no_file_says_so_and_a_file_becomes_its_url(tmp_path: Path):
    with pytest.raises(NoSuchFile, match=f"there is no file {tmp_path}/nope.html"):
        page_url(str(tmp_path / "nope.html"))
    (tmp_path / "a.html").write_text("x")
    assert page_url(str(tmp_path / "a.html")) == (tmp_path / "a.html").as_uri()
    assert page_url("http://example.invalid/") == "http://example.invalid/"


def test_a_page_that_loads_has_no_problem_and_a_missing_one_is_a_404(server: str):
    assert load_problem(f"{server}/here.html") == ""
    assert load_problem(f"{server}/gone.html") == "HTTP ERROR 404"


def test_a_refused_connection_and_an_unknown_host_are_chromiums_errors():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    assert load_problem(f"http://127.0.0.1:{port}/") == "net::ERR_CONNECTION_REFUSED"
    assert load_problem("http://no-such-host.invalid/", timeout=5) in ("net::ERR_NAME_NOT_RESOLVED",
                                                                       "net::ERR_CONNECTION_TIMED_OUT")
    assert load_problem("file:///no/such/page.html") == "net::ERR_FILE_NOT_FOUND"


def test_a_status_a_browser_may_still_get_a_page_for_is_no_problem():
    import http.server as hs

    class Refusing(hs.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(403)  # what bot protection answers a script
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = hs.ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        assert load_problem(f"http://127.0.0.1:{httpd.server_address[1]}/") == ""
    finally:
        httpd.shutdown()
