"""Load test: concurrent chat sessions against a real `qa serve`, through the `/ask` API endpoint.

`python -m eval.load_test --sessions 8 --seconds 120` ingests the seeds into a temporary data folder
(`qa ingest`), serves a copy of that index with `qa serve --port N` (a subprocess, the bundled model,
127.0.0.1 only) and runs N sessions in threads, each with its own `gradio_client.Client`. A session
asks gold questions (eval/gold.jsonl) one after another, starting at its own offset, and sends its own
conversation so far as history, so follow-up questions lean on that session's earlier turns. New
questions stop after `--seconds`; questions in flight get up to `--request-timeout` to finish.

Reported: requests sent, answered with citations, abstained, errors (and "busy") with their messages,
lost (no response within the timeout; must be 0), mixed-up (an answer whose `question` is not what that
session asked; must be 0), answers whose markers do not match their citations, throughput (answers a
minute), latency p50/p95, and the server's RSS at start, peak and end (VmRSS from /proc). A table on
screen, JSON in `--out`; exit 1 when anything was lost or mixed up.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from eval.child_env import offline_env
from eval.metrics import percentile

PROJECT_DIR = Path(__file__).resolve().parent.parent
QA = Path(sys.executable).parent / "qa"
BUSY = re.compile(r"queue is full|too many|busy|429|503", re.I)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float | None:
    """Resident memory of process `pid` in MB (VmRSS), None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def build_index(work: Path, seeds: Path, timeout: float) -> Path:
    """`qa ingest` the seeds into a fresh data folder; returns the folder."""
    data = work / "ingested"
    done = subprocess.run(
        [str(QA), "ingest", "-q", str(seeds)],
        env=offline_env(data, QA_HOST="127.0.0.1"),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"qa ingest failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    print(f"Ingested: {done.stdout.strip()}", flush=True)
    return data


class Server:
    """`qa serve --port N` as a subprocess; its output goes to a log file."""

    def __init__(self, data_dir: Path, port: int, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.log = log
        self._out = log.open("wb")
        self.proc = subprocess.Popen(
            [str(QA), "serve", "--port", str(port), "--host", "127.0.0.1"],
            env={**(env or offline_env(data_dir)), "QA_HOST": "127.0.0.1"},
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def log_tail(self) -> str:
        self._out.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-1500:]

    def wait_ready(self, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"qa serve exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"qa serve did not answer on {self.url} within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
        self._out.close()


def gold_questions(path: Path) -> list[str]:
    from eval.gold import load_gold

    return [item.question for item in load_gold(path)]


def contract_ok(answer: dict[str, Any]) -> bool:
    """Markers in the text are exactly the citations 1..n (abstentions cite nothing)."""
    numbers = [c.get("n") for c in answer.get("citations") or []]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", str(answer.get("answer", "")))}
    return numbers == list(range(1, len(numbers) + 1)) and markers == set(numbers)


def session(
    index: int,
    url: str,
    questions: list[str],
    mode: str,
    stop_at: float,
    request_timeout: float,
    history_turns: int,
    records: list[dict[str, Any]],
    lock: threading.Lock,
) -> None:
    """One chat session: ask in turn, keep this session's own history, record every request."""
    from gradio_client import Client

    from qa.engine import clean_question

    try:
        client = Client(url, verbose=False)
    except Exception as exc:  # the session could not even connect: one error record, then stop
        with lock:
            records.append(
                {
                    "session": index,
                    "turn": 0,
                    "question": "",
                    "outcome": "error",
                    "message": f"connect: {type(exc).__name__}: {exc}"[:300],
                    "latency_s": 0.0,
                }
            )
        return
    history: list[dict[str, str]] = []
    step = max(1, len(questions) // 8)
    turn = 0
    while time.monotonic() < stop_at and turn < 10_000:
        question = questions[(index * step + turn) % len(questions)]
        turn += 1
        record: dict[str, Any] = {"session": index, "turn": turn, "question": question}
        sent = time.monotonic()
        job = None
        try:
            job = client.submit(question, history[-2 * history_turns :], mode, 0, api_name="/ask")
            answer = job.result(timeout=request_timeout)
        except FutureTimeout:
            if job is not None:
                job.cancel()
            record.update(outcome="lost", message=f"no response within {request_timeout:.0f} s")
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"[:300]
            record.update(outcome="busy" if BUSY.search(message) else "error", message=message)
        else:
            if not isinstance(answer, dict):
                record.update(outcome="lost", message=f"empty response: {answer!r}"[:300])
            elif answer.get("question") != clean_question(question, 100_000):
                record.update(outcome="mixed-up", message=f"got the answer to {answer.get('question')!r}")
            else:
                outcome = (
                    "abstained"
                    if answer.get("abstained")
                    else ("cited" if answer.get("citations") else "uncited")
                )
                record.update(
                    outcome=outcome,
                    mode=answer.get("mode"),
                    contract_ok=contract_ok(answer),
                    server_total_ms=(answer.get("timings_ms") or {}).get("total"),
                )
                history += [
                    {"role": "user", "content": question},
                    {"role": "assistant", "content": str(answer.get("answer", ""))},
                ]
        record["latency_s"] = round(time.monotonic() - sent, 2)
        record["done_at"] = time.monotonic()
        with lock:
            records.append(record)


def summarize(
    records: list[dict[str, Any]], started: float, rss: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    count = {
        k: sum(r["outcome"] == k for r in records)
        for k in ("cited", "abstained", "uncited", "busy", "error", "lost", "mixed-up")
    }
    answered = [r for r in records if r["outcome"] in ("cited", "abstained", "uncited")]
    last = max((r.get("done_at", started) for r in records), default=started)
    minutes = max(1e-9, (last - started) / 60)
    latencies = [r["latency_s"] for r in answered]
    messages: dict[str, int] = {}
    for r in records:
        if r["outcome"] in ("busy", "error", "lost", "mixed-up"):
            messages[r["message"]] = messages.get(r["message"], 0) + 1
    return {
        "sessions": args.sessions,
        "seconds": args.seconds,
        "mode": args.mode or "server default",
        "index": str(args.data_dir) if args.data_dir else "the seeds, ingested fresh",
        "requests": len(records),
        "answered_with_citations": count["cited"],
        "abstained": count["abstained"],
        "answered_without_citations": count["uncited"],
        "busy": count["busy"],
        "errors": count["error"],
        "error_messages": messages,
        "lost": count["lost"],
        "mixed_up": count["mixed-up"],
        "contract_violations": sum(r.get("contract_ok") is False for r in answered),
        "answer_modes": {
            m: sum(r.get("mode") == m for r in answered)
            for m in sorted({str(r.get("mode")) for r in answered})
        },
        "throughput_per_min": round(len(answered) / minutes, 1),
        "wall_s": round(last - started, 1),
        "latency_s": {
            "p50": _rounded(percentile(latencies, 50)),
            "p95": _rounded(percentile(latencies, 95)),
            "max": max(latencies, default=None),
        },
        "server_rss_mb": rss,
        "per_session": {
            i: sum(r["session"] == i and r["outcome"] in ("cited", "abstained", "uncited") for r in records)
            for i in range(args.sessions)
        },
    }


def second_half_growth(samples: list[list[Any]], end: float | None) -> float | None:
    """RSS at the end minus RSS at the run's midpoint (MB): warm-up excluded, a leak shows here."""
    if not samples or end is None or samples[-1][2] is None:
        return None
    last_t = samples[-1][0]
    mid = next((s[2] for s in samples if s[0] >= last_t / 2 and s[2] is not None), None)
    return None if mid is None else round(end - mid, 1)


def print_table(report: dict[str, Any]) -> None:
    rss = report["server_rss_mb"]
    rows = [
        ("sessions x seconds", f"{report['sessions']} x {report['seconds']} s ({report['mode']})"),
        ("requests sent", report["requests"]),
        ("answered with citations", report["answered_with_citations"]),
        ("abstained", report["abstained"]),
        ("answered without citations", report["answered_without_citations"]),
        ("busy", report["busy"]),
        ("errors", report["errors"]),
        ("lost (no response)", report["lost"]),
        ("mixed-up", report["mixed_up"]),
        ("marker/citation mismatches", report["contract_violations"]),
        ("throughput (answers/min)", report["throughput_per_min"]),
        ("latency p50 / p95 (s)", f"{report['latency_s']['p50']} / {report['latency_s']['p95']}"),
        ("server RSS start / peak / end (MB)", f"{rss['start']} / {rss['peak']} / {rss['end']}"),
        ("server RSS growth over the second half (MB)", rss.get("second_half_growth")),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for message, n in report["error_messages"].items():
        print(f"  {n} x {message}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.load_test", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=8, help="concurrent chat sessions (1-64)")
    parser.add_argument("--seconds", type=float, default=120, help="how long new questions are sent (1-3600)")
    parser.add_argument(
        "--mode",
        choices=["", "generative", "extractive"],
        default="",
        help="answer mode per request ('' = the server's default)",
    )
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "eval" / "load_test.json")
    parser.add_argument("--gold", type=Path, default=PROJECT_DIR / "eval" / "gold.jsonl")
    parser.add_argument("--seeds", type=Path, default=PROJECT_DIR / "seeds")
    parser.add_argument("--request-timeout", type=float, default=600, help="seconds one answer may take")
    parser.add_argument("--history-turns", type=int, default=3, help="earlier turns sent with a question")
    parser.add_argument("--port", type=int, default=0, help="port for qa serve (0: a free one)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="serve a copy of this existing index (e.g. a suite's cached realistic index) instead of the seeds",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 64 or not 1 <= args.seconds <= 3600:
        parser.error("--sessions must be 1-64 and --seconds 1-3600")

    questions = gold_questions(args.gold)
    work = Path(tempfile.mkdtemp(prefix="load_test_"))
    server = None
    try:
        served = work / "served"
        source = args.data_dir or build_index(work, args.seeds, timeout=900)
        shutil.copytree(source, served)  # serve a copy of the index: the original is never touched
        port = args.port or free_port()
        server = Server(served, port, work / "serve.log")
        ready_s = server.wait_ready(timeout=600)
        pid = server.proc.pid
        rss: dict[str, Any] = {"start": rss_mb(pid), "peak": rss_mb(pid), "end": None, "samples": []}
        print(
            f"qa serve (pid {pid}) ready on {server.url} after {ready_s:.0f} s; RSS {rss['start']} MB",
            flush=True,
        )

        records: list[dict[str, Any]] = []
        lock = threading.Lock()
        started = time.monotonic()
        stop_at = started + args.seconds
        threads = [
            threading.Thread(
                target=session,
                args=(
                    i,
                    server.url,
                    questions,
                    args.mode,
                    stop_at,
                    args.request_timeout,
                    args.history_turns,
                    records,
                    lock,
                ),
                daemon=True,
            )
            for i in range(args.sessions)
        ]
        for t in threads:
            t.start()
        hard_stop = stop_at + args.request_timeout + 60
        shown = started
        while any(t.is_alive() for t in threads) and time.monotonic() < hard_stop:
            now_rss = rss_mb(pid)
            if now_rss is not None:
                rss["peak"] = max(rss["peak"] or 0, now_rss)
            with lock:
                done = len(records)
            if time.monotonic() - shown >= 15:
                shown = time.monotonic()
                rss["samples"].append([round(shown - started), done, now_rss])
                print(f"  {shown - started:5.0f} s: {done} responses, server RSS {now_rss} MB", flush=True)
            time.sleep(2)
        stuck = [t for t in threads if t.is_alive()]
        with lock:
            final = list(records)
        for t in stuck:  # a session that never came back: its last question is lost
            index = threads.index(t)
            final.append(
                {
                    "session": index,
                    "turn": -1,
                    "question": "?",
                    "outcome": "lost",
                    "message": "session thread never returned",
                    "latency_s": 0.0,
                }
            )
        rss["end"] = rss_mb(pid)
        rss["second_half_growth"] = second_half_growth(rss["samples"], rss["end"])
        report = summarize(final, started, rss, args)
        report["server_alive_at_end"] = server.proc.poll() is None
        report["records"] = [{k: v for k, v in r.items() if k != "done_at"} for r in final]
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print_table(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"JSON: {args.out}")
    return 1 if report["lost"] or report["mixed_up"] else 0


if __name__ == "__main__":
    sys.exit(main())
