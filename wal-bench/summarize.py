#!/usr/bin/env python3
"""Turns the raw JMH output saved by run.sh (results/<mode>-B*.txt) into the markdown tables of docs/benchmarks.md.

Every figure is the median of the measurement iterations of one JMH trial (not JMH's mean), or a ratio of two such
medians from the same group file (the same run), or a percentile printed by HdrHistogram on an HDR line.

    python3 wal-bench/summarize.py [quick|full]      (default: full; reads wal-bench/results/)
"""
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NUM = r"([0-9]+(?:\.[0-9]+)?)"


def parse(path):
    """Returns {(benchmark, frozenset(params)): {"primary": [values], counter: [values]}} and the HDR/HEAP lines."""
    trials, lines = {}, []
    if not os.path.exists(path):
        return trials, lines
    key, pending, last = None, False, None
    with open(path) as f:
        text = f.read().splitlines()
    for line in text:
        for m in re.finditer(r"(HDR|HEAP|PAIR) .*", line):
            lines.append(m.group(0))
        if line.startswith("# Benchmark: "):
            bench = line[len("# Benchmark: "):].replace("io.wal4j.bench.", "")
            key = [bench, None]
            continue
        if line.startswith("# Parameters: "):
            params = dict(p.split(" = ") for p in line[len("# Parameters: ("):-1].split(", "))
            key[1] = frozenset(params.items())
            continue
        if key is not None and not isinstance(key, tuple):
            key = (key[0], key[1] or frozenset())
            trials.setdefault(key, {"primary": []})
        if key is None:
            continue
        m = re.match(r"^Iteration\s+\d+:\s*(.*)$", line)
        if m:
            rest = m.group(1)
            v = re.match(r"^" + NUM + r" (ops/s|ms/op|us/op)$", rest)
            if v:
                trials[key]["primary"].append(float(v.group(1)))
                pending = False
            else:
                pending = True
            last = "measure"
            continue
        if line.startswith("# Warmup Iteration"):
            last = "warmup"
            pending = False
            continue
        if pending:
            v = re.match(r"^" + NUM + r" (ops/s|ms/op|us/op)$", line.strip())
            if v and last == "measure":
                trials[key]["primary"].append(float(v.group(1)))
                pending = False
            continue
        c = re.match(r"^\s+(\w+):\s+" + NUM + r" ops/s$", line)
        if c and last == "measure":
            trials[key].setdefault(c.group(1), []).append(float(c.group(2)))
    return trials, lines


def median(trials, bench, counter="primary", **params):
    want = {(k, str(v)) for k, v in params.items()}
    for (b, p), values in trials.items():
        if b == bench and want <= set(p) and values.get(counter):
            return statistics.median(values[counter])
    return None


def spread(trials, bench, counter="primary", **params):
    """The min and max of the measurement iterations, as text 'min–max', to show how noisy a median is."""
    want = {(k, str(v)) for k, v in params.items()}
    for (b, p), values in trials.items():
        if b == bench and want <= set(p) and values.get(counter):
            return f"{min(values[counter]):,.0f}–{max(values[counter]):,.0f}"
    return "–"


def sample_percentiles(path, bench):
    """The SampleTime percentiles JMH prints in its final table, e.g. {'p0.50': 150.5, 'p0.99': 2026.6} in us."""
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        m = re.match(r"^" + re.escape(bench) + r"(?::(p[0-9.]+))?\s.*sample\s+(?:\d+\s+)?" + NUM
                     + r"(?: ±\s+" + NUM + r")?\s+us/op$", line)
        if m:
            out[m.group(1) or "mean"] = float(m.group(2))
    return out


def hdr(lines, prefix):
    rows = []
    for l in lines:
        if l.startswith("HDR " + prefix + " "):
            fields = dict(re.findall(r"(\w[\w.]*)=([^\s]+)", l))
            rows.append(fields)
    return rows


def fmt(v, digits=0):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}"


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "full"
    res = os.path.join(HERE, "results")
    path = lambda g: os.path.join(res, f"{mode}-{g}.txt")
    out = []
    p = out.append

    t, _ = parse(path("B1"))
    rate = median(t, "FdatasyncBenchmark.rate")
    pct = sample_percentiles(path("B1"), "FdatasyncBenchmark.latency")
    p(f"### B1 durable appends ({mode}; medians of iterations; records/s)\n")
    p(f"fdatasync of 4 KiB in the same run: {fmt(rate)} /s; latency p50 {fmt(pct.get('p0.50'), 1)} us, "
      f"p99 {fmt(pct.get('p0.99'), 1)} us\n")
    p("| payload | in flight | raw write+force, batch = in flight (ceiling) | one force per append (floor) | "
      "SPI | SPI / ceiling | adaptor | adaptor / ceiling |")
    p("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for payload in (128, 1024, 16384):
        floor = median(t, "DurableAppendBenchmark.append", inFlight=1, payload=payload, variant="raw")
        for n in (1, 4, 16, 64, 256):
            ceil = median(t, "DurableAppendBenchmark.append", inFlight=n, payload=payload, variant="raw")
            spi = median(t, "DurableAppendBenchmark.append", inFlight=n, payload=payload, variant="spi")
            ada = median(t, "DurableAppendBenchmark.append", inFlight=n, payload=payload, variant="adaptor")
            p(f"| {payload} | {n} | {fmt(ceil)} | {fmt(floor)} | {fmt(spi)} | {ratio(spi, ceil)} | {fmt(ada)} | "
              f"{ratio(ada, ceil)} |")
    p("")
    tp, lp = parse(path("B1-paired"))
    p(f"B1 paired ({mode}): raw, SPI and adaptor interleaved in short slices, each ratio taken within one round, "
      f"median over the rounds; fdatasync of 4 KiB in the same run: "
      f"{fmt(median(tp, 'FdatasyncBenchmark.rate'))} /s\n")
    p("| payload | in flight | raw (ceiling) records/s | SPI records/s | adaptor records/s | SPI / raw | adaptor / raw "
      "| rounds |")
    p("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for l in lp:
        if l.startswith("PAIR B1 "):
            d = dict(re.findall(r"([\w/]+)=([0-9.]+)", l))
            p(f"| {d['payload']} | {d['inFlight']} | {fmt(float(d['raw']))} | {fmt(float(d['spi']))} | "
              f"{fmt(float(d['adaptor']))} | {d['spi/raw']} | {d['adaptor/raw']} | {d['rounds']} |")
    p("")
    tl, ll = parse(path("B1-latency"))
    pct = sample_percentiles(path("B1-latency"), "FdatasyncBenchmark.latency")
    p(f"B1 acknowledgement latency at a fixed rate (half the best SPI 128 B rate above); fdatasync in the same run: "
      f"p50 {fmt(pct.get('p0.50'), 1)} us, p99 {fmt(pct.get('p0.99'), 1)} us\n")
    p("| layer | rate /s | samples | p50 us | p99 us | p99.9 us | max us | p99 / fdatasync p50 |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in hdr(ll, "B1-ack"):
        p99 = float(r["p99"].rstrip("us"))
        p(f"| {r['layer']} | {r['rate']} | {r['count']} | {r['p50'].rstrip('us')} | {r['p99'].rstrip('us')} | "
          f"{r['p99.9'].rstrip('us')} | {r['max'].rstrip('us')} | {ratio(p99, pct.get('p0.50'))} |")
    p("")

    t, _ = parse(path("B2"))
    p(f"### B2 buffered appends ({mode}; appends/s)\n")
    p("| payload | wal4j file SPI at OS (256 in flight) | iterations min–max | full WAL at OS | iterations min–max "
      "| Chronicle Queue | iterations min–max | SPI / Chronicle | full WAL / Chronicle |")
    p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for payload in (128, 1024, 16384):
        w = median(t, "BufferedAppendBenchmark.appendOs", payload=payload, layer="spi")
        a = median(t, "BufferedAppendBenchmark.appendOs", payload=payload, layer="adaptor")
        c = median(t, "ChronicleAppendBenchmark.append", payload=payload)
        p(f"| {payload} | {fmt(w)} | {spread(t, 'BufferedAppendBenchmark.appendOs', payload=payload, layer='spi')} "
          f"| {fmt(a)} | {spread(t, 'BufferedAppendBenchmark.appendOs', payload=payload, layer='adaptor')} "
          f"| {fmt(c)} | {spread(t, 'ChronicleAppendBenchmark.append', payload=payload)} | {ratio(w, c)} "
          f"| {ratio(a, c)} |")
    p("")

    t, _ = parse(path("B3"))
    p(f"### B3 adaptor cost, memory backend ({mode}; appends/s, 128 B)\n")
    p("| in flight | raw SPI | iterations min–max | full adaptor | iterations min–max "
      "| adaptor cost per append (SPI / adaptor) |")
    p("|---:|---:|---:|---:|---:|---:|")
    for n in (1, 64):
        s = median(t, "AdaptorCostBenchmark.append", inFlight=n, layer="spi")
        a = median(t, "AdaptorCostBenchmark.append", inFlight=n, layer="adaptor")
        p(f"| {n} | {fmt(s)} | {spread(t, 'AdaptorCostBenchmark.append', inFlight=n, layer='spi')} | {fmt(a)} | "
          f"{spread(t, 'AdaptorCostBenchmark.append', inFlight=n, layer='adaptor')} | {ratio(s, a)} x |")
    p("")

    _, ll = parse(path("B4"))
    pct = sample_percentiles(path("B4"), "FdatasyncBenchmark.latency")
    p(f"### B4 append → delivery latency ({mode}; 128 B at a fixed rate, corrected for coordinated omission)\n")
    p(f"fdatasync of 4 KiB in the same run: p50 {fmt(pct.get('p0.50'), 1)} us, p99 {fmt(pct.get('p0.99'), 1)} us\n")
    p("| target | rate /s | samples | p50 us | p90 us | p99 us | p99.9 us | max us |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in hdr(ll, "B4"):
        p(f"| {r['target']} | {r['rate']} | {r['count']} | {r['p50'].rstrip('us')} | {r['p90'].rstrip('us')} | "
          f"{r['p99'].rstrip('us')} | {r['p99.9'].rstrip('us')} | {r['max'].rstrip('us')} |")
    p("")

    t, _ = parse(path("B5"))
    p(f"### B5 catch-up reads from the page cache ({mode})\n")
    p("| payload | layer | log MiB | messages/s | iterations min–max | payload MB/s |")
    p("|---:|---|---:|---:|---:|---:|")
    for (b, params), v in sorted(t.items(), key=lambda kv: sorted(kv[0][1])):
        if b != "CatchUpReadBenchmark.next" or not v["primary"]:
            continue
        d = dict(params)
        msgs = statistics.median(v["primary"]) if v["primary"] else None
        by = statistics.median(v["bytes"]) / 1e6 if v.get("bytes") else None
        rng = f"{min(v['primary']):,.0f}–{max(v['primary']):,.0f}"
        p(f"| {d['payload']} | {d['layer']} | {d['logMiB']} | {fmt(msgs)} | {rng} | {fmt(by)} |")
    p("")

    t, _ = parse(path("B6"))
    p(f"### B6 open time ({mode}; ms, median of single opens)\n")
    p("| log MiB | state | layer | open ms (median) | min–max ms | iterations |")
    p("|---:|---|---|---:|---:|---:|")
    for (b, params), v in sorted(t.items(), key=lambda kv: (int(dict(kv[0][1]).get("sizeMiB", 0)),
                                                             sorted(kv[0][1]))):
        if b != "OpenTimeBenchmark.open" or not v["primary"]:
            continue
        d = dict(params)
        p(f"| {d['sizeMiB']} | {d['state']} | {d['layer']} | {fmt(statistics.median(v['primary']), 2)} | "
          f"{min(v['primary']):.2f}–{max(v['primary']):.2f} | {len(v['primary'])} |")
    p("")

    _, ll = parse(path("B7"))
    p(f"### B7 many tailing scanners ({mode}; through the adaptor)\n")
    p("| target | scanners | heap per idle scanner (B) | rate /s | deliveries | p50 us | p99 us | p99.9 us | max us |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    heaps = {re.search(r"target=(\S+)", l).group(1): re.search(r"perScanner=(\d+)", l).group(1)
             for l in ll if l.startswith("HEAP B7")}
    for r in hdr(ll, "B7"):
        p(f"| {r['target']} | {r['scanners']} | {heaps.get(r['target'], '–')} | {r['rate']} | {r['count']} | "
          f"{r['p50'].rstrip('us')} | {r['p99'].rstrip('us')} | {r['p99.9'].rstrip('us')} | "
          f"{r['max'].rstrip('us')} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
