#!/usr/bin/env python3
"""Open-loop load on `strata serve`: CLIENTS keep-alive connections, each sending a random
tunnel query to /api/query at a fixed rate, whatever the answers' speed (no coordinated
omission: a request's latency runs from the moment it was due, so a stalled server shows as
the wait it caused). Optionally an officer writes mortgages at the same time; every act must
be answered 200. Prints one JSON line of figures.

  python3 tools/load/open_loop.py --port P --token T --extent minx,miny,minz,maxx,maxy,maxz \
      --clients 100 --rate 2 --seconds 30 [--officer-token T --write-units FILE --writes N]
"""
import argparse
import asyncio
import json
import math
import random
import time


def tunnel_body(e, rng):
    x = e[0] + rng.random() * (e[3] - e[0] - 200)
    y = e[1] + rng.random() * (e[4] - e[1] - 200)
    z = e[2] + 3 + rng.random() * (e[5] - e[2] - 6)
    a = rng.random() * 2 * math.pi
    line = [[x, y, z], [x + 200 * math.cos(a), y + 200 * math.sin(a), z]]
    return json.dumps({"tunnel": {"centreline": line, "section": {"circle": {"radius": 3}},
                                  "clearance": 2}}).encode()


async def request(reader, writer, port, token, path, body):
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    writer.write(head + body)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        k, _, v = line.decode().partition(":")
        if k.lower() == "content-length":
            length = int(v)
    payload = await reader.readexactly(length)
    return status, payload


async def client(i, a, extent, deadline, lat, errors):
    rng = random.Random(i)
    reader, writer = await asyncio.open_connection("127.0.0.1", a.port)
    period = 1.0 / a.rate
    due = time.monotonic() + rng.random() * period
    while due < deadline:
        now = time.monotonic()
        if due > now:
            await asyncio.sleep(due - now)
        status, _ = await request(reader, writer, a.port, a.token, "/api/query",
                                  tunnel_body(extent, rng))
        lat.append(time.monotonic() - due)
        if status != 200:
            errors.append(status)
        due += period
    writer.close()


async def writer_task(a, deadline, results):
    codes = [c for c in open(a.write_units).read().split() if c]
    reader, writer = await asyncio.open_connection("127.0.0.1", a.port)
    gap = max(0.0, (deadline - time.monotonic()) / max(a.writes, 1))
    bank = {"id": "91110000LOADBANK0X", "name": "负载测试银行", "kind": "company"}
    for k in range(a.writes):
        act = {"number": f"{a.prefix}-{k + 1}", "reason": "抵押", "officer": "",
               "parties": [bank], "sources": [{"id": f"{a.prefix}-C{k + 1}", "kind": "contract"}],
               "body": {"act": "mortgage", "unit": codes[k % len(codes)], "mortgagee": bank,
                        "amount": 1000000}}
        status, payload = await request(reader, writer, a.port, a.officer_token, "/api/acts",
                                        json.dumps(act).encode())
        results.append((status, payload[:300]))
        await asyncio.sleep(gap)
    writer.close()


def pct(xs, p):
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000 if xs else None


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--extent", required=True)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--rate", type=float, default=2.0, help="queries per second per client")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--officer-token")
    ap.add_argument("--write-units")
    ap.add_argument("--writes", type=int, default=0)
    ap.add_argument("--prefix", default="LOAD")
    a = ap.parse_args()
    extent = [float(v) for v in a.extent.split(",")]
    lat, errors, written = [], [], []
    start = time.monotonic()
    deadline = start + a.seconds
    tasks = [client(i, a, extent, deadline, lat, errors) for i in range(a.clients)]
    if a.writes:
        tasks.append(writer_task(a, deadline, written))
    await asyncio.gather(*tasks)
    took = time.monotonic() - start
    lat.sort()
    out = {"clients": a.clients, "offered_rps": a.clients * a.rate, "requests": len(lat),
           "achieved_rps": round(len(lat) / took, 1), "errors": len(errors),
           "p50_ms": round(pct(lat, 50), 1), "p90_ms": round(pct(lat, 90), 1),
           "p99_ms": round(pct(lat, 99), 1), "max_ms": round(lat[-1] * 1000, 1)}
    if a.writes:
        out["writes"] = len(written)
        out["writes_ok"] = sum(1 for s, _ in written if s == 200)
        bad = [p.decode(errors="replace") for s, p in written if s != 200]
        if bad:
            out["write_error"] = bad[0]
    print(json.dumps(out))


asyncio.run(main())
