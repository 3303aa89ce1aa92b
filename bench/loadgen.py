#!/usr/bin/env python3
"""Load generator for bench/load.sh (stdlib only): mixed small requests on many keep-alive connections,
and slow clients that trickle their request headers.

usage:
  loadgen.py mixed  --frontend s3|restic --url URL --pid PID [--clients 64] [--duration 60] [--warmup 10]
  loadgen.py slow   --frontend s3|restic --url URL [--slow 50] [--seconds 20]

mixed: CLIENTS threads, each with its own keep-alive connection, loop for DURATION seconds over a mix of
  40 % GET, 20 % PUT, 20 % HEAD, 20 % LIST of small objects (1-16 KiB; 256 objects written before the
  clock starts). serve s3: SigV4-signed (keys from GATEWAY_BENCH_ACCESS_KEY / GATEWAY_BENCH_SECRET_KEY),
  PUTs overwrite one of 256 other keys, LIST is ListObjectsV2 of the 256 objects. serve restic: GET/HEAD
  of data blobs, PUT = POST of a new lock file (then DELETE of it, not timed: keeps the set bounded),
  LIST = GET data/ with the v2 media type. Every answer that is not the expected 2xx, and every
  exception, is an error. Prints one JSON object: per-op count/p50/p99 (ms), errors, requests/s, and
  VmHWM/VmRSS of PID at the end of the warm-up and at the end (VmRSS sampled once a second).
slow: SLOW connections each send a GET's header bytes one per second (never finishing within SECONDS);
  meanwhile one normal client makes sequential GETs. The same normal client runs SECONDS alone first.
  Prints the normal client's p50/p99 both ways and how many slow connections the server closed.
"""
import argparse
import datetime
import hashlib
import hmac
import http.client
import json
import os
import random
import socket
import statistics
import threading
import time
import urllib.parse

REGION = "us-east-1"


def quantile(values, q):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Client:
    """One keep-alive HTTP/1.1 connection; SigV4 signing for serve s3 when keys are given."""

    def __init__(self, url, access_key=None, secret_key=None):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.base = u.hostname, u.port, u.path.rstrip("/")
        self.hostport = f"{self.host}:{self.port}"
        self.ak, self.sk = access_key, secret_key
        self.conn = None

    def request(self, method, path, query="", body=b"", headers=None):
        headers = dict(headers or {})
        if self.ak:
            headers.update(self.sign(method, path, query, body))
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        target = urllib.parse.quote(path) + ("?" + query if query else "")
        try:
            self.conn.request(method, target, body=body if body or method in ("PUT", "POST") else None, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp.status, data

    def sign(self, method, path, query, body):
        now = datetime.datetime.now(datetime.timezone.utc)
        amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        payload = hashlib.sha256(body).hexdigest()
        pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
        cquery = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}" for k, v in pairs)
        cheaders = f"host:{self.hostport}\nx-amz-content-sha256:{payload}\nx-amz-date:{amz_date}\n"
        signed = "host;x-amz-content-sha256;x-amz-date"
        creq = "\n".join([method, urllib.parse.quote(path, safe="/-_.~"), cquery, cheaders, signed, payload])
        scope = f"{day}/{REGION}/s3/aws4_request"
        sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])
        key = ("AWS4" + self.sk).encode()
        for part in (day, REGION, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        return {"x-amz-date": amz_date, "x-amz-content-sha256": payload,
                "Authorization": f"AWS4-HMAC-SHA256 Credential={self.ak}/{scope}, SignedHeaders={signed}, Signature={sig}"}


def small_body(rng):
    return rng.randbytes(rng.randint(1, 16) << 10)


class S3Ops:
    def __init__(self, url):
        self.url = url
        self.ak = os.environ.get("GATEWAY_BENCH_ACCESS_KEY")
        self.sk = os.environ.get("GATEWAY_BENCH_SECRET_KEY")
        self.bucket = "/load"

    def client(self):
        return Client(self.url, self.ak, self.sk)

    def setup(self):
        c, rng = self.client(), random.Random(1)
        st, _ = c.request("PUT", self.bucket)
        if st not in (200, 409):
            raise SystemExit(f"CreateBucket answered {st}")
        for i in range(256):
            st, _ = c.request("PUT", f"{self.bucket}/obj-{i:03d}", body=small_body(rng))
            if st != 200:
                raise SystemExit(f"setup PUT answered {st}")

    def op(self, c, rng, kind):
        if kind == "GET":
            return c.request("GET", f"{self.bucket}/obj-{rng.randrange(256):03d}")[0] == 200
        if kind == "HEAD":
            return c.request("HEAD", f"{self.bucket}/obj-{rng.randrange(256):03d}")[0] == 200
        if kind == "PUT":
            return c.request("PUT", f"{self.bucket}/put-{rng.randrange(256):03d}", body=small_body(rng))[0] == 200
        st, data = c.request("GET", self.bucket, query="list-type=2&prefix=obj-&max-keys=100")
        return st == 200 and b"<Key>" in data

    def normal_get(self, c):
        return c.request("GET", f"{self.bucket}/obj-000")[0] == 200

    def slow_target(self):
        return f"GET {self.bucket}/obj-001 HTTP/1.1\r\n"


class ResticOps:
    ACCEPT = {"Accept": "application/vnd.x.restic.rest.v2"}

    def __init__(self, url):
        self.url = url
        self.repo = "/load"
        self.ids = []

    def client(self):
        return Client(self.url)

    def setup(self):
        c, rng = self.client(), random.Random(1)
        st, _ = c.request("POST", self.repo + "/", query="create=true")
        if st != 200:
            raise SystemExit(f"create repository answered {st}")
        for _ in range(256):
            body = small_body(rng)
            blob_id = hashlib.sha256(body).hexdigest()
            st, _ = c.request("POST", f"{self.repo}/data/{blob_id}", body=body)
            if st != 200:
                raise SystemExit(f"setup POST answered {st}")
            self.ids.append(blob_id)

    def op(self, c, rng, kind):
        if kind == "GET":
            return c.request("GET", f"{self.repo}/data/{rng.choice(self.ids)}")[0] == 200
        if kind == "HEAD":
            return c.request("HEAD", f"{self.repo}/data/{rng.choice(self.ids)}")[0] == 200
        if kind == "PUT":
            body = small_body(rng)
            name = f"{self.repo}/locks/{hashlib.sha256(body).hexdigest()}"
            ok = c.request("POST", name, body=body)[0] == 200
            return ok, name
        st, data = c.request("GET", f"{self.repo}/data/", headers=self.ACCEPT)
        return st == 200 and data.startswith(b"[")

    def normal_get(self, c):
        return c.request("GET", f"{self.repo}/data/{self.ids[0]}")[0] == 200

    def slow_target(self):
        return f"GET {self.repo}/data/{self.ids[1]} HTTP/1.1\r\n"


MIX = ["GET", "GET", "PUT", "HEAD", "LIST"]


def mixed(args, ops):
    ops.setup()
    lat = {k: [] for k in ("GET", "PUT", "HEAD", "LIST")}
    errors, samples, lock = [], [], threading.Lock()
    t_start = time.monotonic()
    t_warm, t_end = t_start + args.warmup, t_start + args.duration
    marks = {}

    def worker(n):
        c, rng = ops.client(), random.Random(1000 + n)
        mine = {k: [] for k in lat}
        while True:
            now = time.monotonic()
            if now >= t_end:
                break
            kind = rng.choice(MIX)
            t0 = time.perf_counter()
            try:
                res = ops.op(c, rng, kind)
                ok, cleanup = res if isinstance(res, tuple) else (res, None)
            except Exception as e:  # a refused/reset/timed-out request is an error
                ok, cleanup = False, None
                with lock:
                    errors.append(f"{kind}: {type(e).__name__}: {e}")
            dt = (time.perf_counter() - t0) * 1000
            if not ok:
                with lock:
                    errors.append(f"{kind}: unexpected answer")
            if now >= t_warm:
                mine[kind].append(dt)
            if cleanup:
                try:
                    c.request("DELETE", cleanup)
                except Exception as e:
                    with lock:
                        errors.append(f"DELETE: {type(e).__name__}: {e}")
        with lock:
            for k in lat:
                lat[k].extend(mine[k])

    def sampler():
        while time.monotonic() < t_end:
            now = time.monotonic()
            if "warm" not in marks and now >= t_warm:
                marks["warm"] = (status_kib(args.pid, "VmHWM"), status_kib(args.pid, "VmRSS"))
            samples.append((round(now - t_start, 1), status_kib(args.pid, "VmRSS")))
            time.sleep(1)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
    threads.append(threading.Thread(target=sampler))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    hwm_end, rss_end = status_kib(args.pid, "VmHWM"), status_kib(args.pid, "VmRSS")
    hwm_warm, rss_warm = marks.get("warm", (None, None))
    every = [v for k in lat for v in lat[k]]
    measured = args.duration - args.warmup
    out = {
        "frontend": args.frontend, "clients": args.clients, "duration_s": args.duration, "warmup_s": args.warmup,
        "requests": len(every), "req_per_s": round(len(every) / measured, 1), "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "p50_ms": round(quantile(every, 0.5), 1), "p99_ms": round(quantile(every, 0.99), 1),
        "ops": {k: {"n": len(v), "p50_ms": round(quantile(v, 0.5), 1), "p99_ms": round(quantile(v, 0.99), 1)} for k, v in lat.items() if v},
        "vmhwm_warm_mib": hwm_warm and hwm_warm >> 10, "vmhwm_end_mib": hwm_end and hwm_end >> 10,
        "vmrss_warm_mib": rss_warm and rss_warm >> 10, "vmrss_end_mib": rss_end and rss_end >> 10,
        "vmrss_after_warmup_min_max_mib": [min(s[1] for s in samples if s[0] >= args.warmup) >> 10,
                                            max(s[1] for s in samples if s[0] >= args.warmup) >> 10],
        "hwm_ratio": round(hwm_end / hwm_warm, 2) if hwm_warm else None,
    }
    print(json.dumps(out))


def slow(args, ops):
    ops.setup()
    u = urllib.parse.urlsplit(args.url)

    def normal_run(seconds):
        c, lat, errs = ops.client(), [], 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            t0 = time.perf_counter()
            try:
                ok = ops.normal_get(c)
            except Exception:
                ok = False
            lat.append((time.perf_counter() - t0) * 1000)
            errs += 0 if ok else 1
            time.sleep(0.01)
        return lat, errs

    alone, alone_errs = normal_run(args.seconds)
    header = (ops.slow_target() + f"Host: {u.hostname}:{u.port}\r\nUser-Agent: slowloris-bench\r\nX-Pad: "
              + "a" * 4096 + "\r\n\r\n").encode()
    stop, closed, opened, lock = threading.Event(), [], [], threading.Lock()

    def trickle():
        try:
            s = socket.create_connection((u.hostname, u.port), timeout=5)
        except OSError:
            with lock:
                closed.append(0.0)
            return
        with lock:
            opened.append(1)
        t0 = time.monotonic()
        s.settimeout(0.01)
        i = 0
        while not stop.is_set() and i < len(header):
            try:
                s.sendall(header[i:i + 1])
                i += 1
                try:
                    if s.recv(1) == b"":   # the server closed the connection
                        raise ConnectionResetError
                except socket.timeout:
                    pass
            except OSError:
                with lock:
                    closed.append(round(time.monotonic() - t0, 1))
                break
            stop.wait(1.0)
        s.close()

    slows = [threading.Thread(target=trickle) for _ in range(args.slow)]
    for t in slows:
        t.start()
    time.sleep(2)  # every slow connection is open and trickling
    loaded, loaded_errs = normal_run(args.seconds)
    stop.set()
    for t in slows:
        t.join()
    out = {
        "frontend": args.frontend, "slow_clients": args.slow, "seconds": args.seconds, "slow_opened": len(opened),
        "slow_closed_by_server": len(closed), "slow_closed_after_s": sorted(closed)[:3] + (["..."] if len(closed) > 3 else []),
        "alone": {"n": len(alone), "errors": alone_errs, "p50_ms": round(quantile(alone, 0.5), 2), "p99_ms": round(quantile(alone, 0.99), 2)},
        "with_slow": {"n": len(loaded), "errors": loaded_errs, "p50_ms": round(quantile(loaded, 0.5), 2), "p99_ms": round(quantile(loaded, 0.99), 2)},
    }
    out["p50_ratio"] = round(out["with_slow"]["p50_ms"] / out["alone"]["p50_ms"], 2)
    out["p99_ratio"] = round(out["with_slow"]["p99_ms"] / out["alone"]["p99_ms"], 2)
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["mixed", "slow"])
    p.add_argument("--frontend", choices=["s3", "restic"], required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--pid", type=int)
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--warmup", type=float, default=10)
    p.add_argument("--slow", type=int, default=50)
    p.add_argument("--seconds", type=float, default=20)
    args = p.parse_args()
    ops = S3Ops(args.url) if args.frontend == "s3" else ResticOps(args.url)
    (mixed if args.mode == "mixed" else slow)(args, ops)


if __name__ == "__main__":
    main()
