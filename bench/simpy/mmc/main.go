// Command mmc runs serverless-tour's engine on an M/M/c queue, the model
// mmc.py builds in SimPy, and prints what it measured and how long Run took,
// as one JSON object.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/serverless-tour/serverless-tour/sim"
)

func main() {
	lambda := flag.Float64("lambda", 20, "arrivals per second")
	service := flag.Float64("service", 2.4, "mean service time, seconds")
	c := flag.Int("c", 55, "slots")
	hours := flag.Float64("hours", 2, "simulated hours")
	seed := flag.Uint64("seed", 1, "seed")
	flag.Parse()

	s := sim.Scenario{
		Name:     "mmc",
		Seed:     *seed,
		Duration: sim.Duration(time.Duration(*hours * float64(time.Hour))),
		Load:     sim.Load{Pattern: "constant", RPS: *lambda},
		Request:  sim.Request{Duration: sim.Duration(time.Duration(*service * float64(time.Second))), Distribution: "exponential"},
		Targets:  []sim.Target{{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: *c}},
	}
	t0 := time.Now()
	r, err := sim.Run(s, sim.Options{})
	el := time.Since(t0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mmc:", err)
		os.Exit(2)
	}
	t := r.Targets[0]
	json.NewEncoder(os.Stdout).Encode(map[string]any{
		"engine":      "serverless-tour sim",
		"requests":    t.Requests,
		"p_wait":      t.WaitProbability,
		"wq":          t.Wait.Mean,
		"utilization": t.Utilization,
		"seconds":     el.Seconds(),
	})
}
