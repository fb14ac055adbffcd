"""The operator guide's nginx example, as a school would run it: the block is
taken from docs/operating.md as it stands, checked with `nginx -t`, and
carries the page (with its security headers) and a class room over TLS to a
real wirepad."""
import json
import re
import shutil
import socket
import ssl
import subprocess

from websockets.sync.client import connect

from conftest import HERE, free_port, start, stop

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
