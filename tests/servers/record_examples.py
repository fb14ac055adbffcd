"""Records the example exchanges the page offers without a relay
(www/examples/): real bytes from the practice server and from nginx, each
request sent over a plain socket and every read kept as the relay would
report it. Run `python3 tests/servers/record_examples.py` after `make build`.
"""
import json
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import ROOT, RelayProcess, nginx_in, stop  # noqa: E402

OUT = ROOT / "www" / "examples"


def b64url(data):
    import base64

    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def record(port, request):
    reads, data = [], bytearray()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        t0 = time.monotonic()
        s.sendall(request)
        while chunk := s.recv(65536):
            data += chunk
            reads.append({"type": "read", "seq": len(reads) + 1, "bytes": len(chunk), "ms": round((time.monotonic() - t0) * 1000, 3)})
    return bytes(data), reads


def main():
    OUT.mkdir(exist_ok=True)
    relay = RelayProcess()
    with tempfile.TemporaryDirectory() as tmp:
        nginx_port, nginx = nginx_in(Path(tmp))
        try:
            examples = [
                ("practice-get.json", "Practice server: GET / (recorded)", relay.practice, b"GET / HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n"),
                ("practice-chunked.json", "Chunked response (recorded)", relay.practice, b"GET /chunked HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n"),
                ("practice-gzip.json", "Gzip body (recorded)", relay.practice, b"GET /gzip HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n"),
                ("practice-slow.json", "A slow server (recorded reads)", relay.practice, b"GET /slow HTTP/1.1\r\nHost: practice\r\nConnection: close\r\n\r\n"),
                (
                    "nginx-head-get.json",
                    "nginx: HEAD then GET, keep-alive (recorded)",
                    nginx_port,
                    b"HEAD /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                ),
                ("nginx-404.json", "nginx: 404 Not Found (recorded)", nginx_port, b"GET /missing HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
            ]
            index = []
            for file, name, port, request in examples:
                response, reads = record(port, request)
                host = "127.0.0.1"
                capture = {"wirepad": 1, "host": host, "port": port, "request_b64": b64url(request), "response_b64": b64url(response), "reads": reads, "events": []}
                (OUT / file).write_text(json.dumps(capture, indent=1) + "\n")
                index.append({"name": name, "file": file})
            (OUT / "index.json").write_text(json.dumps(index, indent=1) + "\n")
        finally:
            stop(nginx)
            relay.stop()


if __name__ == "__main__":
    main()
