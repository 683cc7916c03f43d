#!/usr/bin/python3
"""A grpc.health.v1 server on 127.0.0.1 for the gRPC probe tests (Debian's python3-grpcio,
raw bytes: no generated code). Prints its port, serves until stdin closes.
Services: "" and "web" SERVING, "down" NOT_SERVING, "slow" answers after 3 s, others NOT_FOUND."""
import sys
import time
from concurrent import futures

import grpc

STATUS = {b"": b"\x08\x01", b"web": b"\x08\x01", b"down": b"\x08\x02"}


def check(request, context):
    service = request[2:] if request[:1] == b"\x0a" else b""
    if service == b"slow":
        time.sleep(3)
        return b"\x08\x01"
    if service not in STATUS:
        context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
    return STATUS[service]


handler = grpc.method_handlers_generic_handler(
    "grpc.health.v1.Health", {"Check": grpc.unary_unary_rpc_method_handler(check)})
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
server.add_generic_rpc_handlers((handler,))
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(port, flush=True)
sys.stdin.read()
server.stop(0)
