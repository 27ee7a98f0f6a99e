"""A fake GitLab notes API for tests of ci/gitlab/mr-note.sh: keeps notes
in memory, logs every request, prints the notes as JSON on exit (SIGTERM)."""
import json, signal, sys
from urllib.parse import parse_qs, urlsplit
from http.server import BaseHTTPRequestHandler, HTTPServer

notes = [{"id": 1, "body": "a reviewer's comment"}]
log = []

class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def _send(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        log.append("GET")
        page = int(parse_qs(urlsplit(self.path).query).get("page", ["1"])[0])
        self._send(200, notes if page == 1 else [])

    def _body(self):
        n = int(self.headers.get("Content-Length", 0))
        return json.loads(self.rfile.read(n))["body"]

    def do_POST(self):
        assert self.headers.get("PRIVATE-TOKEN") == "tok"
        log.append("POST")
        notes.append({"id": len(notes) + 1, "body": self._body()})
        self._send(201, notes[-1])

    def do_PUT(self):
        log.append("PUT")
        nid = int(self.path.rsplit("/", 1)[1])
        for n in notes:
            if n["id"] == nid:
                n["body"] = self._body()
        self._send(200, {})

srv = HTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
def stop(*_):
    print(json.dumps({"log": log, "notes": notes}), flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
srv.serve_forever()
