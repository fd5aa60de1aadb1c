"""The page `run --open` shows: a path that names no file is bad input; a page that does not load is said in
Chromium's words (net::ERR_NAME_NOT_RESOLVED ...) before the run looks for anything on Chromium's error page."""

from __future__ import annotations

import socket
import ssl
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

PROBE_TIMEOUT = 8.0  # seconds a page's server has to answer
MISSING = (404, 410)  # statuses that say the page is not there; others (403 to a script, 503) may still show a page
AGENT = "Mozilla/5.0 (X11; Linux x86_64) DeskPilot"


class NoSuchFile(ValueError):
    """``--open`` names a local file that is not there."""


def page_url(opened: str) -> str:
    """The URL for ``--open``: a URL as given, a path as a file:// URL; NoSuchFile when the path names nothing."""
    if "://" in opened:
        return opened
    path = Path(opened).expanduser()
    if not path.is_file():
        raise NoSuchFile(f"there is no file {opened}")
    return path.resolve().as_uri()


def load_problem(url: str, timeout: float = PROBE_TIMEOUT) -> str:
    """Why the page at ``url`` would not load, as Chromium's error page says it ("" when it loads)."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return "" if Path(unquote(parsed.path)).is_file() else "net::ERR_FILE_NOT_FOUND"
    if parsed.scheme not in ("http", "https"):
        return ""  # data:, about:, chrome: pages load without a server
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": AGENT}), timeout=timeout):
            return ""
    except urllib.error.HTTPError as exc:  # a server that answers: only "not there" keeps Chromium from a page
        return f"HTTP ERROR {exc.code}" if exc.code in MISSING else ""
    except urllib.error.URLError as exc:
        return _net_error(exc.reason)
    except (OSError, ValueError) as exc:
        return _net_error(exc)


def _net_error(reason: object) -> str:
    """Chromium's name for a failed connection."""
    match reason:
        case socket.gaierror():
            return "net::ERR_NAME_NOT_RESOLVED"
        case ConnectionRefusedError():
            return "net::ERR_CONNECTION_REFUSED"
        case ConnectionResetError():
            return "net::ERR_CONNECTION_RESET"
        case TimeoutError():
            return "net::ERR_CONNECTION_TIMED_OUT"
        case ssl.SSLCertVerificationError():
            return "net::ERR_CERT_INVALID"
        case ssl.SSLError():
            return "net::ERR_SSL_PROTOCOL_ERROR"
    return f"net::ERR_FAILED ({reason})"


def not_loaded(url: str, problem: str) -> str:
    """The sentence a run ends with when its page did not load."""
    return f"The page {url} did not load ({problem}), so there is nothing of it on the screen to work on."
