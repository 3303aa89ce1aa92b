#!/usr/bin/env python3
"""Deterministic benchmark data set: a few large files and many small ones, half compressible.

usage: gen-dataset.py DIR TOTAL_MIB [SEED]
The same arguments always produce byte-identical trees (random.Random(seed)).
"""
import os
import random
import sys


def main() -> None:
    root, total_mib = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    rng = random.Random(seed)
    total = total_mib << 20
    large_budget = total * 3 // 4        # ~75 % in files of 64-192 MiB
    os.makedirs(root, exist_ok=True)

    written, n = 0, 0
    while written < large_budget:
        size = min(rng.randint(64, 192) << 20, large_budget - written)
        compressible = n % 3 == 2
        write(os.path.join(root, "large", f"big-{n:02d}{'.log' if compressible else '.bin'}"), size, rng, compressible)
        written += size
        n += 1

    i = 0
    while written < total:
        size = min(int(rng.expovariate(1 / 48_000)) + 1, total - written, 2 << 20)
        d = os.path.join(root, "small", f"d{rng.randrange(16):02x}", f"e{rng.randrange(8)}")
        write(os.path.join(d, f"file {i:05d}.dat"), size, rng, i % 2 == 0)
        written += size
        i += 1
    print(f"{root}: {written >> 20} MiB, {n} large files, {i} small files")


LINE_WORDS = ["GET", "PUT", "POST", "/api/v1/items", "200", "404", "latency_ms", "user", "session", "ok", "retry"]


def write(path: str, size: int, rng: random.Random, compressible: bool) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            chunk = min(left, 1 << 20)
            if compressible:
                words = " ".join(rng.choice(LINE_WORDS) + str(rng.randrange(1000)) for _ in range(chunk // 8 + 1))
                data = words.encode()[:chunk]
            else:
                data = rng.randbytes(chunk)
            f.write(data)
            left -= len(data)


if __name__ == "__main__":
    main()
