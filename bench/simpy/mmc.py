"""An M/M/c queue in SimPy: the same model as a fixed serverless-tour VM
fleet (c identical slots, one FIFO queue, Poisson arrivals, exponential
service), so the two engines can be timed on identical parameters.

Prints one JSON object: what the run measured and how long it took.
"""
import argparse
import json
import random
import time

import simpy


def run(lam, service, c, horizon, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    slots = simpy.Resource(env, capacity=c)
    st = {"requests": 0, "waited": 0, "wait_sum": 0.0, "busy": 0.0}

    def request(env, work):
        arrived = env.now
        with slots.request() as req:
            yield req
            wait = env.now - arrived
            st["wait_sum"] += wait
            if wait > 0:
                st["waited"] += 1
            # Busy time inside the horizon, as the Go engine counts it.
            st["busy"] += max(0.0, min(env.now + work, horizon) - env.now)
            yield env.timeout(work)

    def arrivals(env):
        while True:
            yield env.timeout(rng.expovariate(lam))
            if env.now >= horizon:
                return
            st["requests"] += 1
            env.process(request(env, rng.expovariate(1.0 / service)))

    env.process(arrivals(env))
    env.run()  # runs until the last request has finished, as Run does
    n = st["requests"]
    return {
        "requests": n,
        "p_wait": st["waited"] / n,
        "wq": st["wait_sum"] / n,
        "utilization": st["busy"] / (c * horizon),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lambda", dest="lam", type=float, default=20.0, help="arrivals per second")
    ap.add_argument("--service", type=float, default=2.4, help="mean service time, seconds")
    ap.add_argument("--c", type=int, default=55, help="slots")
    ap.add_argument("--hours", type=float, default=2.0, help="simulated hours")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0 = time.perf_counter()
    out = run(a.lam, a.service, a.c, a.hours * 3600, a.seed)
    out["seconds"] = time.perf_counter() - t0
    out["engine"] = "simpy " + simpy.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
