// Package sim simulates load, scaling, latency and cost for always-on VM
// fleets and serverless functions.
//
// It is pure and deterministic: the same Scenario and seed give identical
// results. It imports nothing from the user interface; the tour and the
// command line meet it in Result.
package sim
