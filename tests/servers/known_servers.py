"""`wirepad check` against servers whose behaviour is known, as one table:
`python3 tests/servers/known_servers.py` prints it, `--write` puts it into
docs/check-results.md (between its markers), and
tests/servers/test_known_servers.py checks that the docs hold what this
prints now and that the verdicts are the ones each server is known for.

The servers, all on loopback: nginx, Python's http.server, Node's http (the
test servers of tests/servers/), the practice server of `wirepad serve`, and
textbook_server.py, written the way the classic socket assignment writes a
web server. Each row is one server, each category of checks a column, each
cell the counts of pass / fail / warn / skip.
"""
import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conftest import ROOT, WIREPAD, fill_docroot, free_port, launch_nginx, start, stop, wait_for_port  # noqa: E402

DOC = ROOT / "docs" / "check-results.md"
BEGIN, END = "<!-- known-servers: begin -->", "<!-- known-servers: end -->"
CATEGORIES = ["basics", "connections", "reject", "semantics"]
VERDICTS = ["pass", "fail", "warn", "skip"]


def version(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    return (r.stdout + r.stderr).strip().splitlines()[0]


@contextlib.contextmanager
def known_servers():
    """Starts every known server: yields [(name, version, url)], in table order."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        tmp = Path(tmp)
        (tmp / "www").mkdir()
        (tmp / "nginx").mkdir()
        fill_docroot(tmp / "www")
        www = str(tmp / "www")

        def started(cmd, port):
            proc = start(cmd, port)
            stack.callback(stop, proc)
            return port

        nginx_port, nginx = launch_nginx(tmp / "nginx", tmp / "www")
        stack.callback(stop, nginx)
        py = started(["python3", str(HERE / "py_server.py"), str(p := free_port()), www], p)
        node = started(["node", str(HERE / "node_server.mjs"), str(p := free_port())], p)
        practice, relay = free_port(), free_port()
        serve = start([str(WIREPAD), "serve", "--listen", f"127.0.0.1:{relay}", "--practice-listen", f"127.0.0.1:{practice}"], relay)
        stack.callback(stop, serve)
        wait_for_port(practice, serve)
        textbook = started(["python3", str(HERE / "textbook_server.py"), str(p := free_port()), www], p)
        yield [
            ("nginx", version([shutil.which("nginx") or "/usr/sbin/nginx", "-v"]).removeprefix("nginx version: "), f"http://127.0.0.1:{nginx_port}/index.html"),
            ("Python http.server", version(["python3", "--version"]), f"http://127.0.0.1:{py}/index.html"),
            ("Node http", "Node " + version(["node", "--version"]), f"http://127.0.0.1:{node}/"),
            ("wirepad practice server", version([str(WIREPAD), "--version"]), f"http://127.0.0.1:{practice}/"),
            ("textbook socket server", "textbook_server.py", f"http://127.0.0.1:{textbook}/index.html"),
        ]


def check(url):
    """`wirepad check --json URL`: the outcomes, one object per check."""
    r = subprocess.run([str(WIREPAD), "check", "--json", url], capture_output=True, timeout=120)
    assert r.returncode in (0, 1), r.stderr.decode()
    return json.loads(r.stdout)


def measure():
    """Every known server checked: [(name, version, outcomes)]."""
    with known_servers() as servers:
        return [(name, ver, check(url)) for name, ver, url in servers]


def table(results):
    """The Markdown table of `results` and, under it, each server's failed MUSTs."""
    lines = [
        "| server | version | MUST failed | " + " | ".join(CATEGORIES) + " |",
        "|---|---|---|" + "---|" * len(CATEGORIES),
    ]
    for name, ver, outcomes in results:
        cells = []
        for category in CATEGORIES:
            counts = Counter(o["verdict"] for o in outcomes if o["category"] == category)
            cells.append(" / ".join(str(counts[v]) for v in VERDICTS))
        must = [o for o in outcomes if o["verdict"] == "fail" and o["level"] == "MUST"]
        lines.append(f"| {name} | {ver} | {len(must)} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("The MUSTs each server fails:")
    lines.append("")
    for name, _, outcomes in results:
        must = [o["id"] for o in outcomes if o["verdict"] == "fail" and o["level"] == "MUST"]
        lines.append(f"- {name}: " + (", ".join(f"`{i}`" for i in must) if must else "none"))
    return "\n".join(lines)


def documented():
    """The table as docs/check-results.md holds it now."""
    text = DOC.read_text()
    return text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip()


def write(rendered):
    text = DOC.read_text()
    DOC.write_text(re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: f"{BEGIN}\n{rendered}\n{END}", text, flags=re.S))


def main():
    rendered = table(measure())
    print(rendered)
    if "--write" in sys.argv[1:]:
        write(rendered)


if __name__ == "__main__":
    main()
