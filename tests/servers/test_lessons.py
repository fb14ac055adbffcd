"""`wirepad serve --lessons DIR`: a teacher's lessons beside the built-in
ones, read from disk on every request, checked as `wirepad lesson check`
checks them, and never a file outside the folders."""
import json
import socket
import subprocess
import urllib.error
import urllib.request

from conftest import WIREPAD

GOOD = {"id": "good", "title": "A good lesson", "steps": [{"text": "first version", "request": {"practice": True, "text": "GET / HTTP/1.1\r\nHost: practice\r\n\r\n"}}]}
BROKEN = '{"id": "broken", "title": "Broken",\n "steps": [\n  {"txt": "t"},\n  {"text": "t", "predict": {"ask": "bytes"}}\n ]}\n'


def get(server, path):
    """(status, body bytes) of GET path."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def raw_get(server, target):
    """The whole response to a GET sent byte for byte (no client normalizes the target)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def folders(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "good.json").write_text(json.dumps(GOOD))
    (one / "broken.json").write_text(BROKEN)
    # A folder's lesson replaces the built-in one of its id; the first folder wins.
    (one / "chunked.json").write_text(json.dumps({"id": "chunked", "title": "The teacher's chunked", "steps": [{"text": "mine"}]}))
    (two / "chunked.json").write_text(json.dumps({"id": "chunked", "title": "Second folder's", "steps": [{"text": "not mine"}]}))
    (two / "extra.json").write_text(json.dumps({"id": "extra", "title": "Extra", "steps": [{"text": "x"}]}))
    return one, two


def test_the_index_lists_built_in_and_folder_lessons(relay_factory, tmp_path):
    one, two = folders(tmp_path)
    server = relay_factory("--lessons", one, "--lessons", two)
    status, body = get(server, "/lessons/index.json")
    assert status == 200
    index = {e["id"]: e for e in json.loads(body)}
    assert index["good"] == {"id": "good", "title": "A good lesson", "file": "good.json"}
    assert index["broken"]["title"] == "broken (has mistakes)"
    assert index["chunked"]["title"] == "The teacher's chunked"
    assert index["extra"]["file"] == "extra.json"
    assert "socket" in index and index["socket"]["file"] == "socket.json", "built-in lessons stay"
    assert json.loads(get(server, "/lessons/chunked.json")[1])["title"] == "The teacher's chunked"
    assert json.loads(get(server, "/lessons/socket.json")[1])["id"] == "socket"


def test_a_lesson_is_read_again_on_every_request(relay_factory, tmp_path):
    one, _ = folders(tmp_path)
    server = relay_factory("--lessons", one)
    assert json.loads(get(server, "/lessons/good.json")[1])["steps"][0]["text"] == "first version"
    changed = json.loads(json.dumps(GOOD))
    changed["steps"][0]["text"] = "second version"
    (one / "good.json").write_text(json.dumps(changed))
    assert json.loads(get(server, "/lessons/good.json")[1])["steps"][0]["text"] == "second version"
    (one / "new.json").write_text(json.dumps({"id": "new", "title": "Added while serving", "steps": [{"text": "n"}]}))
    assert any(e["id"] == "new" for e in json.loads(get(server, "/lessons/index.json")[1]))


def test_a_lesson_with_mistakes_is_answered_with_them_as_lesson_check_prints_them(relay_factory, tmp_path):
    one, _ = folders(tmp_path)
    server = relay_factory("--lessons", one)
    status, body = get(server, "/lessons/broken.json")
    assert status == 422
    served = json.loads(body)
    assert served["file"] == "broken.json"
    assert served["errors"] == [
        "broken.json:3:8: unknown field `txt`, expected one of `text`, `request`, `response`, `look`, `predict`, `exercise`",
        'broken.json:4:43: "bytes" is not one of "status", "chunks", "messages"',
    ]
    cli = subprocess.run([str(WIREPAD), "lesson", "check", "broken.json"], cwd=one, capture_output=True, text=True)
    assert cli.returncode == 1
    assert cli.stdout.splitlines() == served["errors"]


def test_no_file_outside_the_folders_is_ever_served(relay_factory, tmp_path):
    one, _ = folders(tmp_path)
    (tmp_path / "secret.json").write_text('{"secret": "SECRET-OUTSIDE"}')
    (one / "link.json").symlink_to(tmp_path / "secret.json")
    server = relay_factory("--lessons", one)
    for target in [
        "/lessons/../secret.json",
        "/lessons/..%2fsecret.json",
        "/lessons/%2e%2e%2fsecret.json",
        "/lessons/..%5csecret.json",
        "/lessons/link.json",
        "/lessons/%2e%2e/one/good.json/../../secret.json",
        "/lessons/secret.json",
        "/secret.json",
    ]:
        response = raw_get(server, target)
        assert b"SECRET-OUTSIDE" not in response, target
        assert response.startswith(b"HTTP/1.1 404") or response.startswith(b"HTTP/1.1 400"), (target, response[:200])
    assert server.alive()


def test_a_folder_that_does_not_exist_stops_the_server_at_start(tmp_path):
    out = subprocess.run([str(WIREPAD), "serve", "--listen", "127.0.0.1:0", "--no-practice", "--lessons", tmp_path / "nope"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 2
    assert "--lessons: cannot open" in out.stderr
