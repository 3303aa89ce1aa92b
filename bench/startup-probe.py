#!/usr/bin/env python3
"""Start-up probe for bench/startup-bench.sh: exec a server and time the first answered request.

    startup-probe.py tcp PORT -- CMD...   # CMD listens on 127.0.0.1:PORT; HTTP/1.1 HEAD /config, polled every 2 ms
    startup-probe.py stdio -- CMD...      # CMD speaks HTTP/2 (prior knowledge) on stdin/stdout, like
                                          # restic's rclone: backend; one HEAD /config on stream 1

Prints one line "WALL_MS CPU_MS": wall time from just before the exec to the first byte of the
answer's status (any status counts), and the server's user+sys CPU time at that moment (from
/proc/PID/stat, so it includes every thread; on a loaded machine it varies less than the wall
time). Then stops the server it started (SIGTERM, then SIGKILL after 5 s; stdin closed for --stdio)
and exits 1 if the server exited or answered nothing within 60 s.
"""
import os
import socket
import struct
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
TIMEOUT_S = 60.0
# The server's stderr: STARTUP_PROBE_LOG names a file for it (appended), else it is discarded.
ERR = open(os.environ["STARTUP_PROBE_LOG"], "ab") if os.environ.get("STARTUP_PROBE_LOG") else subprocess.DEVNULL


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / CLK_TCK


def fail(proc, what):
    sys.stderr.write(f"startup-probe: {what}\n")
    stop(proc)
    sys.exit(1)


def stop(proc):
    if proc.stdin:
        proc.stdin.close()
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def probe_tcp(port, cmd):
    request = b"HEAD /config HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=ERR)
    while True:
        if proc.poll() is not None:
            fail(proc, f"{cmd[0]} exited with {proc.returncode} before answering")
        if time.perf_counter() - t0 > TIMEOUT_S:
            fail(proc, f"{cmd[0]} did not answer within {TIMEOUT_S:.0f} s")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S) as s:
                s.sendall(request)
                if s.recv(16).startswith(b"HTTP/1."):
                    break
        except OSError:
            pass
        time.sleep(0.002)
    t1 = time.perf_counter()
    cpu = cpu_ms(proc.pid)
    stop(proc)
    return (t1 - t0) * 1000, cpu


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def hpack_literal(index, value):
    # Literal header field without indexing, name from the static table (RFC 7541 6.2.2), no Huffman.
    return bytes([index]) + bytes([len(value)]) + value


def probe_stdio(cmd):
    headers = hpack_literal(2, b"HEAD") + b"\x86" + hpack_literal(4, b"/config") + hpack_literal(1, b"localhost")
    hello = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0) + frame(1, 0x5, 1, headers)  # SETTINGS; HEADERS END_STREAM|END_HEADERS
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=ERR, bufsize=0)
    proc.stdin.write(hello)
    proc.stdin.flush()
    out = proc.stdout
    while True:
        head = out.read(9)
        while head and len(head) < 9:
            more = out.read(9 - len(head))
            if not more:
                break
            head += more
        if len(head) < 9:
            fail(proc, f"{cmd[0]} closed stdout before answering (exit {proc.wait()})")
        length = int.from_bytes(head[:3], "big")
        kind, flags, stream = head[3], head[4], int.from_bytes(head[5:9], "big") & 0x7FFFFFFF
        payload = b""
        while len(payload) < length:
            more = out.read(length - len(payload))
            if not more:
                fail(proc, f"{cmd[0]} closed stdout inside a frame")
            payload += more
        if kind == 1 and stream == 1:  # HEADERS of our request: the answer's status
            break
        if kind == 4 and not flags & 1:  # the server's SETTINGS: acknowledge, as a real client does
            proc.stdin.write(frame(4, 1, 0))
        if kind == 7:  # GOAWAY
            fail(proc, f"{cmd[0]} sent GOAWAY before answering")
    t1 = time.perf_counter()
    cpu = cpu_ms(proc.pid)
    stop(proc)
    return (t1 - t0) * 1000, cpu


def main(argv):
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    mode, cmd = argv[1:split], argv[split + 1:]
    if not cmd or not mode:
        sys.exit(__doc__)
    if mode[0] == "tcp" and len(mode) == 2:
        wall, cpu = probe_tcp(int(mode[1]), cmd)
    elif mode[0] == "stdio" and len(mode) == 1:
        wall, cpu = probe_stdio(cmd)
    else:
        sys.exit(__doc__)
    print(f"{wall:.1f} {cpu:.0f}")


if __name__ == "__main__":
    main(sys.argv)
