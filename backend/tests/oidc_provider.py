"""A real OpenID Connect provider for the tests (frontend/oidc-provider/server.mjs, panva's
oidc-provider on Node), and a user signing in at it.

    provider = start_provider(["http://127.0.0.1:8000/api/v1/auth/oidc/callback"])
    ...  # the Registry's authorization URL, from its sign-in route
    callback = sign_in_at_provider(authorization_url, "alice")  # the redirect back, not yet followed
    provider.restart()  # same port, new signing key
    provider.stop()

Test users: alice (registry-write, group Hydrology), bob (registry-read, no group), carol (no role
or group claims); any other login name is a user whose sub and preferred_username are that name.
Only the standard library and httpx, so with_server.py can use it too.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "frontend" / "oidc-provider" / "server.mjs"
PACKAGE = REPO / "frontend" / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "registry"
CLIENT_SECRET = "registry-test-secret"
START_TIMEOUT = 20.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Provider:
    """A running provider process; `restart()` keeps the port (and so the issuer) and rotates the key."""

    client_id = CLIENT_ID
    client_secret = CLIENT_SECRET

    def __init__(self, redirect_uris: list[str], port: int) -> None:
        self.redirect_uris = list(redirect_uris)
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.log = Path(tempfile.mkdtemp(prefix="oidc-provider-")) / "provider.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["node", str(SCRIPT), "--port", str(self.port)]
        for uri in self.redirect_uris:
            command += ["--redirect-uri", uri]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the OIDC provider exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the OIDC provider did not answer within {START_TIMEOUT:.0f} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> None:
        """A new process on the same port: a new signing key (new kid), and every session, grant
        and code the old one held forgotten."""
        self.stop()
        self.start()

    def __enter__(self) -> Provider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_provider(redirect_uris: list[str], port: int | None = None) -> Provider:
    """Starts the provider on 127.0.0.1 (a free port unless given), with client `registry`
    registered for `redirect_uris`, and waits until its discovery document answers."""
    if shutil.which("node") is None:
        raise RuntimeError("the test OIDC provider needs Node.js (node) on the PATH; install Node 20 and run `make install`")
    if not PACKAGE.exists():
        raise RuntimeError(f"the test OIDC provider needs {PACKAGE.parent}: run `make install`")
    provider = Provider(redirect_uris, port or _free_port())
    provider.start()
    return provider


class _Page(HTMLParser):
    """The forms (action, fields) and links (href, text) of one of the provider's pages."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.links: list[tuple[str, str]] = []
        self._link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((attributes.get("action", ""), {}))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1][1][attributes["name"]] = attributes.get("value", "")
        elif tag == "a" and "href" in attributes:
            self._link = [attributes["href"], ""]

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], self._link[1].strip()))
            self._link = None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def sign_in_at_provider(authorization_url: str, login: str, *, consent: bool = True) -> str:
    """Plays the user at the provider's own pages: opens `authorization_url`, signs in as `login`
    (any password), then gives consent or cancels. Returns the first redirect that leaves the
    provider (the client's redirect_uri with code, state and iss, or with error=access_denied)
    without requesting it. A fresh cookie jar each time, so the provider always asks for both."""
    provider = _origin(authorization_url)
    with httpx.Client(follow_redirects=False, timeout=10) as http:
        response = http.get(authorization_url)
        for _ in range(20):
            if response.is_redirect:
                target = urljoin(str(response.url), response.headers["location"])
                if _origin(target) != provider:
                    return target
                response = http.get(target)
                continue
            if response.status_code != 200:
                raise AssertionError(f"the provider answered {response.status_code} at {response.url}:\n{response.text}")
            page = _Page()
            page.feed(response.text)
            form = next((f for f in page.forms if "prompt" in f[1]), None)
            if form is None:
                raise AssertionError(f"no login or consent form at {response.url}:\n{response.text}")
            action, fields = form
            if fields["prompt"] == "login":
                response = http.post(urljoin(str(response.url), action), data={**fields, "login": login, "password": "any"})
            elif fields["prompt"] == "consent" and consent:
                response = http.post(urljoin(str(response.url), action), data=fields)
            elif fields["prompt"] == "consent":
                cancel = next((href for href, text in page.links if "cancel" in text.lower() or href.endswith("/abort")), None)
                if cancel is None:
                    raise AssertionError(f"no cancel link on the consent page:\n{response.text}")
                response = http.get(urljoin(str(response.url), cancel))
            else:
                raise AssertionError(f"an unexpected prompt {fields['prompt']!r} at {response.url}")
    raise AssertionError("the provider did not redirect back to the client within 20 steps")
