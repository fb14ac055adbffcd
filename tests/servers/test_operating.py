"""The operator guide's examples, as a school would run them, each block taken
from docs/operating.md as it stands: the nginx example, checked with `nginx
-t`, carries the page (with its security headers) and a class room over TLS
to a real wirepad; the systemd unit passes `systemd-analyze verify`, agrees
with the nginx example, and its ExecStart's flags start the real binary."""
import json
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess

from websockets.sync.client import connect

from conftest import HERE, WIREPAD, free_port, start, stop

ROOT = HERE.parent.parent


def documented_nginx_block():
    text = (ROOT / "docs" / "operating.md").read_text()
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/operating.md has one nginx example"
    return blocks[0]


def test_the_documented_nginx_example_carries_the_page_and_a_room_over_tls(relay_factory, tmp_path):
    name = "wirepad.school.example"
    port = free_port()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(tmp_path / "wirepad.key"), "-out", str(tmp_path / "wirepad.crt")],
        check=True, capture_output=True, timeout=60)
    relay = relay_factory("--allow-origin", f"https://{name}", "--allow-origin", f"https://{name}:{port}", "--trust-proxy", "127.0.0.1/32")
    server = (documented_nginx_block()
              .replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
              .replace("/etc/ssl/", f"{tmp_path}/")
              .replace("http://127.0.0.1:8080", f"http://127.0.0.1:{relay.port}"))
    assert f"{tmp_path}/wirepad.crt" in server and f"127.0.0.1:{relay.port}" in server, "the example's lines are where the test expects them"
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    {server}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, timeout=30)
    assert checked.returncode == 0, checked.stderr.decode()
    proc = start([nginx, "-p", str(tmp_path), "-c", str(conf)], port)
    try:
        context = ssl.create_default_context(cafile=str(tmp_path / "wirepad.crt"))
        # The page, over TLS, with the headers that keep its origin its own.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, context.wrap_socket(raw, server_hostname=name) as tls:
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {name}:{port}\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while chunk := tls.recv(65536):
                reply += chunk
        head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
        assert head.startswith("http/1.1 200"), head
        assert "content-security-policy: default-src 'self'" in head and "x-content-type-options: nosniff" in head
        # A class room through the proxy's WebSocket upgrade.
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        with connect(f"wss://{name}:{port}/room?create", sock=sock, ssl=context, server_hostname=name, origin=f"https://{name}:{port}", open_timeout=10) as teacher:
            created = json.loads(teacher.recv(timeout=10))
            assert created["type"] == "created", created
    finally:
        stop(proc)


def documented_systemd_unit():
    text = (ROOT / "docs" / "operating.md").read_text()
    blocks = re.findall(r"```ini\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/operating.md has one systemd unit (the only ini block)"
    return blocks[0]


def exec_start(unit):
    """The unit's ExecStart as a list of words (continuation lines joined)."""
    joined = unit.replace("\\\n", " ")
    lines = [line.split("=", 1)[1] for line in joined.splitlines() if line.startswith("ExecStart=")]
    assert len(lines) == 1, "the unit has one ExecStart"
    return shlex.split(lines[0])


def systemd_analyze():
    found = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
    assert os.path.exists(found), "systemd-analyze is required (Debian package systemd; `make setup` installs it)"
    return found


def test_the_documented_systemd_unit_passes_systemd_analyze_verify(tmp_path):
    unit = documented_systemd_unit()
    binary = exec_start(unit)[0]
    assert f"ExecStart={binary} serve" in unit
    # Only what is machine-specific changes: the binary is the one just built.
    path = tmp_path / "wirepad.service"
    path.write_text(unit.replace(f"ExecStart={binary} ", f"ExecStart={WIREPAD} ", 1))
    verified = subprocess.run([systemd_analyze(), "verify", "--man=no", str(path)], capture_output=True, text=True, timeout=60)
    # verify may speak of the system's own units; what it says of ours must be nothing.
    ours = [line for line in verified.stderr.splitlines() if "wirepad.service" in line]
    assert verified.returncode == 0 and not ours, verified.stderr


def test_the_documented_systemd_unit_matches_the_nginx_example_and_the_cli(tmp_path):
    unit = documented_systemd_unit()
    words = exec_start(unit)
    assert words[1] == "serve", words
    args = words[2:]

    def values(flag):
        return [args[i + 1] for i, a in enumerate(args) if a == flag]

    # The same address, origin and proxy as the nginx example.
    nginx = documented_nginx_block()
    (listen,) = values("--listen")
    assert f"proxy_pass http://{listen};" in nginx, (listen, nginx)
    (host,) = re.findall(r"server_name (\S+);", nginx)
    assert values("--allow-origin") == [f"https://{host}"]
    assert values("--public-url") == [f"https://{host}/"]
    assert values("--trust-proxy") == ["127.0.0.1/32"]
    for directive in ["Restart=on-failure", "DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                      "PrivateTmp=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"]:
        assert f"\n{directive}\n" in unit, directive
    nofile = int(re.search(r"^LimitNOFILE=(\d+)$", unit, re.M).group(1))
    # The server's caps with their defaults: HTTP connections, relay sessions
    # (two sockets each), and a full house of rooms, each with its teacher.
    assert nofile >= 1024 + 2 * 1024 + 100 * (500 + 1)

    # The real binary takes every flag of ExecStart: only the ports change
    # (free ones, and a practice server that clashes with nobody).
    port, practice = free_port(), free_port()
    args[args.index("--listen") + 1] = f"127.0.0.1:{port}"
    proc = start([str(WIREPAD), "serve", *args, "--practice-listen", f"127.0.0.1:{practice}"], port)
    try:
        # As nginx passes it on: the public name in Host, the student in X-Forwarded-For.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-For: 192.0.2.7\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while chunk := s.recv(65536):
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
        assert b"<!doctype html>" in reply.lower()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"GET /relay-info.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while chunk := s.recv(65536):
                reply += chunk
        info = json.loads(reply.split(b"\r\n\r\n", 1)[1])
        assert info["public_url"] == f"https://{host}/", info
        # A teacher's page from the public origin may open a room.
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        with connect(f"ws://{host}/room?create", sock=sock, origin=f"https://{host}", open_timeout=10) as teacher:
            assert json.loads(teacher.recv(timeout=10))["type"] == "created"
    finally:
        stop(proc)
