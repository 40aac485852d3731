# An upstream in another language: answers every request with the headers it received, as JSON.
# GET /__count (asked directly, not through the proxy) says how many requests it has served.
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

served = 0


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_any(self):
        global served
        if self.path == "/__count":
            body = json.dumps({"served": served}).encode()
        else:
            served += 1
            headers = {}
            for name, value in self.headers.items():
                headers.setdefault(name.lower(), []).append(value)
            body = json.dumps({"method": self.command, "path": self.path, "headers": headers}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

    def log_message(self, format, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
print(server.server_address[1], flush=True)
server.serve_forever()
