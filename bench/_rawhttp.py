"""A minimal keep-alive HTTP/1.1 client on asyncio streams, for load phases that chain requests
across servers (the web app, then the object storage) where ``wrk`` cannot.

Why not httpx: measured, its threads cost the load generator ~10 ms of CPU per request on this
shared 2-core machine, so the benches measured their own client (``/health`` at 60/s). This one
writes the request bytes and reads the status line, headers and ``Content-Length`` body: tens of
microseconds. Only what the benches need: no chunked bodies, no TLS, no redirects.
"""

import asyncio
import json
from urllib.parse import urlsplit


class Response:
    __slots__ = ("status", "body")

    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body

    def json(self):
        return json.loads(self.body)


class Connection:
    """One keep-alive connection to ``host:port``; reopened when the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, target: str, body: bytes = b"", headers: dict | None = None) -> Response:
        for attempt in (0, 1):  # a keep-alive connection the server closed meanwhile: once more, fresh
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            head = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
            head += [f"{k}: {v}" for k, v in (headers or {}).items()]
            try:
                self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
                status_line = await self.reader.readuntil(b"\r\n")
                length, close = 0, False
                while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
                    name, _, value = line.decode("latin-1").partition(":")
                    name = name.strip().lower()
                    if name == "content-length":
                        length = int(value)
                    elif name == "connection" and value.strip().lower() == "close":
                        close = True
                data = await self.reader.readexactly(length) if length else b""
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
                continue
            if close:
                self.close()
            return Response(int(status_line.split()[1]), data)
        raise ConnectionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Client:
    """Connections by ``host:port`` for one simulated phone (one request at a time)."""

    def __init__(self) -> None:
        self.conns: dict[tuple[str, int], Connection] = {}

    async def request(self, method: str, url: str, body: bytes = b"", headers: dict | None = None) -> Response:
        parts = urlsplit(url)
        key = (parts.hostname, parts.port or 80)
        conn = self.conns.get(key) or self.conns.setdefault(key, Connection(*key))
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        return await conn.request(method, target, body, headers)

    async def json(self, method: str, url: str, payload, headers: dict | None = None) -> Response:
        return await self.request(method, url, json.dumps(payload).encode(),
                                  {"Content-Type": "application/json", **(headers or {})})

    def close(self) -> None:
        for c in self.conns.values():
            c.close()
