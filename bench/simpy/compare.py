#!/usr/bin/python3
"""Run the same M/M/c queue in SimPy and in serverless-tour's engine, on
identical parameters, and print both run times, their ratio, and each
engine's measurements beside Erlang C.

    /usr/bin/python3 bench/simpy/compare.py [--lambda 20 --service 2.4 --c 55 --hours 2]

Run from the repository root; needs Go and Debian's python3-simpy3.
Each engine times its own simulation only (not start-up or compiling).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def erlang_c(c, a):
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1 - rho + rho * b)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lambda", dest="lam", type=float, default=20.0)
    ap.add_argument("--service", type=float, default=2.4)
    ap.add_argument("--c", type=int, default=55)
    ap.add_argument("--hours", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    args = ["--lambda", str(a.lam), "--service", str(a.service), "--c", str(a.c),
            "--hours", str(a.hours), "--seed", str(a.seed)]

    with tempfile.TemporaryDirectory() as tmp:
        binary = os.path.join(tmp, "mmc")
        subprocess.run(["go", "build", "-o", binary, "./mmc"], cwd=HERE, check=True)
        go = json.loads(subprocess.run([binary] + args, check=True, capture_output=True, text=True).stdout)
    py = json.loads(subprocess.run(["/usr/bin/python3", os.path.join(HERE, "mmc.py")] + args,
                                   check=True, capture_output=True, text=True).stdout)

    lam, mu, c = a.lam, 1 / a.service, a.c
    load = lam / mu
    if load >= c:
        sys.exit("offered load %.3g needs more than %d slots" % (load, c))
    pc = erlang_c(c, load)
    theory = {"p_wait": pc, "wq": pc / (c * mu - lam), "utilization": load / c}

    print("M/M/%d  λ=%g/s  mean service %gs  A=%.3g  %g simulated hours" % (c, lam, a.service, load, a.hours))
    print("%-22s %12s %10s %10s %12s %10s" % ("", "requests", "P(wait)", "Wq (s)", "utilisation", "time (s)"))
    for name, r in (("Erlang C", dict(theory, requests="", seconds=float("nan"))), (go["engine"], go), (py["engine"], py)):
        print("%-22s %12s %10.4f %10.4f %12.4f %10.4f" % (name, r["requests"], r["p_wait"], r["wq"], r["utilization"], r["seconds"]))
    print("SimPy time / serverless-tour time = %.0f×" % (py["seconds"] / go["seconds"]))
    print("per request: serverless-tour %.0f ns, SimPy %.0f ns" % (go["seconds"] / go["requests"] * 1e9, py["seconds"] / py["requests"] * 1e9))


if __name__ == "__main__":
    main()
