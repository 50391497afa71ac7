package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runCLI runs the command line in-process with its own state folder.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestBadInputExitsTwoWithOneLine(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"--lesson", "no-such-lesson"}, "no-such-lesson"},
		{[]string{"--theme", "purple"}, "--theme must be auto, dark or light"},
		{[]string{"nonsense"}, "unknown command"},
		{[]string{"sim"}, "accepts 1 arg"},
		{[]string{"sim", "does-not-exist.yaml"}, "does-not-exist.yaml"},
		{[]string{"cost", "lambda", "--requests", "lots"}, `--requests: "lots" is not a number`},
		{[]string{"cost", "lambda", "--memory", "64MB"}, "--memory: 64MB is outside 128 MB to 10,240 MB"},
		{[]string{"sim", "../../content/scenarios/lunch-rush.yaml", "--set", "load.rps=1e12"}, "a run simulates at most"},
		{[]string{"sim", "../../content/scenarios/lunch-rush.yaml", "--model", "quick"}, "--model must be auto, events or fast"},
		{[]string{"sim", "../../content/scenarios/lunch-rush.yaml", "--model", "fast", "--set", "load.rps=1e12"}, "the fast model counts at most"},
		{[]string{"cost", "ec2", "--instance", "m9.huge"}, `unknown instance "m9.huge"`},
		{[]string{"--content", "/no/such/dir"}, "--content"},
		{[]string{"cost", "lambda", "--requests", "1e30"}, "--requests: 1e30 is more than"},
		{[]string{"cost", "lambda", "--requests", "1.5"}, "--requests: want a whole number"},
		{[]string{"cost", "lambda", "--memory", "1e30GB"}, "--memory: 1e30GB is outside 128 MB to 10,240 MB"},
		{[]string{"cost", "lambda", "--duration", "1h"}, "longer than Lambda's 15m0s limit"},
		{[]string{"cost", "lambda", "--provisioned", "2.5", "--provisioned-hours", "8"}, "--provisioned: want a whole number"},
		{[]string{"cost", "lambda", "--provisioned-hours", "5"}, "need --provisioned N"},
		{[]string{"cost", "ec2", "--count", "1e30"}, "--count: 1e30 is more than"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, c.args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2 (stderr %q)", code, stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q does not mention %q", stderr, c.want)
			}
			if n := strings.Count(strings.TrimRight(stderr, "\n"), "\n"); n != 0 {
				t.Errorf("error takes %d lines, want one: %q", n+1, stderr)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace in %q", stderr)
			}
		})
	}
}

func TestTourNeedsATerminal(t *testing.T) {
	code, _, stderr := runCLI(t)
	if code != 2 || !strings.Contains(stderr, "needs an interactive terminal") || !strings.Contains(stderr, "serverless-tour list") {
		t.Fatalf("code %d, stderr %q: want a pointer to list and sim", code, stderr)
	}
}

func TestListShowsEveryLesson(t *testing.T) {
	code, out, stderr := runCLI(t, "list")
	if code != 0 {
		t.Fatalf("list: code %d, %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "01") || !strings.HasPrefix(lines[2], "02") {
		t.Fatalf("list output:\n%s", out)
	}
}

func TestLintReportsEveryProblem(t *testing.T) {
	if code, out, stderr := runCLI(t, "lint"); code != 0 {
		t.Fatalf("built-in content should lint clean: code %d\n%s%s", code, out, stderr)
	}
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "lessons"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "lessons", "01-broken.md"), []byte("---\ntitle: [unclosed\n---\nBody\n"), 0o644))
	code, out, _ := runCLI(t, "lint", dir)
	if code != 2 {
		t.Fatalf("lint of a broken folder: code %d, want 2", code)
	}
	if !strings.Contains(out, "01-broken.md:2") {
		t.Fatalf("lint output names no file and line:\n%s", out)
	}
}

func TestVersionSubcommand(t *testing.T) {
	old := [3]string{version, commit, date}
	t.Cleanup(func() { version, commit, date = old[0], old[1], old[2] })
	version, commit, date = "v1.2.3", "abcdef0123456789", "2026-11-27"
	code, out, _ := runCLI(t, "version")
	if code != 0 || strings.TrimSpace(out) != "serverless-tour v1.2.3 (commit abcdef012345, built 2026-11-27)" {
		t.Fatalf("code %d, out %q", code, out)
	}
}

// The first worked example on AWS's Lambda pricing page, through the CLI.
func TestCostLambdaWorkedExample(t *testing.T) {
	code, out, stderr := runCLI(t, "cost", "lambda", "--requests", "3M", "--duration", "120ms", "--memory", "1536MB", "--free-tier", "--json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	var bill struct {
		Items []struct {
			Item      string  `json:"item"`
			AmountUSD float64 `json:"amount_usd"`
		} `json:"items"`
		TotalUSD float64 `json:"total_usd"`
		AsOf     string  `json:"as_of"`
	}
	must(t, json.Unmarshal([]byte(out), &bill))
	if got := roundCents(bill.TotalUSD); got != 2.73 {
		t.Errorf("total %.4f, want $2.73\n%s", bill.TotalUSD, out)
	}
	if bill.AsOf == "" || len(bill.Items) == 0 {
		t.Errorf("bill without date or items: %s", out)
	}
	code, text, _ := runCLI(t, "cost", "lambda", "--requests", "3M", "--duration", "120ms", "--memory", "1536MB", "--free-tier")
	if code != 0 || !strings.Contains(text, "$2.73") || !strings.Contains(text, "as of") {
		t.Errorf("text bill:\n%s", text)
	}
}

func TestCostEC2Month(t *testing.T) {
	code, out, stderr := runCLI(t, "cost", "ec2", "--instance", "m5.large", "--hours", "730")
	if code != 0 || !strings.Contains(out, "$70.08") {
		t.Fatalf("code %d\n%s%s", code, out, stderr)
	}
}

func TestSimJSONIsDeterministic(t *testing.T) {
	file := filepath.Join("..", "..", "content", "scenarios", "lunch-rush.yaml")
	args := []string{"sim", file, "--json", "--set", "duration=1h"}
	_, a, errA := runCLI(t, args...)
	_, b, _ := runCLI(t, args...)
	if a == "" || a != b {
		t.Fatalf("two runs differ or are empty (stderr %q)", errA)
	}
	_, c, _ := runCLI(t, append(args, "--seed", "99")...)
	if c == a {
		t.Fatal("another seed gave the same result")
	}
	var res struct {
		Scenario string `json:"scenario"`
		Targets  []struct {
			Name     string  `json:"name"`
			Requests int64   `json:"requests"`
			CostUSD  float64 `json:"cost_usd"`
		} `json:"targets"`
	}
	must(t, json.Unmarshal([]byte(a), &res))
	if len(res.Targets) < 2 || res.Targets[0].Requests == 0 || res.Targets[0].Requests != res.Targets[1].Requests {
		t.Fatalf("targets should see the same, non-zero arrivals: %+v", res.Targets)
	}
}

func TestSimTextHasTableAndChart(t *testing.T) {
	file := filepath.Join("..", "..", "content", "scenarios", "lunch-rush.yaml")
	code, out, stderr := runCLI(t, "sim", file, "--set", "duration=2h")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	for _, want := range []string{"latency p99", "cost", "as of", "load"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A percentile beyond what the run's histogram represents is shown as
// "more than" its range, never as a clamped figure; a queue that filled
// with no queue_limit set is said so under the table.
func TestSimTextSaysBeyondRangeAndQueueFull(t *testing.T) {
	file := filepath.Join("..", "..", "sim", "testdata", "hostile", "beyond-range.yaml")
	code, out, stderr := runCLI(t, "sim", file)
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	if !regexp.MustCompile(`latency p99 +> 194d`).MatchString(out) {
		t.Errorf("output lacks a p99 of more than 194 days:\n%s", out)
	}
	code, out, stderr = runCLI(t, "sim", file, "--set", "targets.vm.queue_limit=0")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	if !strings.Contains(out, "vm: ") || !strings.Contains(out, "requests found the queue full at the most a run holds (no queue_limit set) and were dropped") {
		t.Errorf("output lacks the queue-full note:\n%s", out)
	}
}

// The model that produced the figures is on screen and in the JSON: a
// month of a 100 req/s trace goes to the fast model under auto.
func TestSimSaysWhichModel(t *testing.T) {
	file := filepath.Join("..", "..", "content", "scenarios", "month-api.yaml")
	code, out, stderr := runCLI(t, "sim", file, "--model", "auto")
	if code != 0 || !strings.Contains(out, "fast model (approximate)") || !strings.Contains(out, "auto chose it for 259,199,934 requests") {
		t.Fatalf("code %d: %s\n%s", code, stderr, out)
	}
	code, out, stderr = runCLI(t, "sim", file, "--json")
	var res struct {
		Model       string `json:"model"`
		Approximate bool   `json:"approximate"`
	}
	must(t, json.Unmarshal([]byte(out), &res))
	if code != 0 || res.Model != "fast" || !res.Approximate {
		t.Fatalf("code %d %s: model %q approximate %v", code, stderr, res.Model, res.Approximate)
	}
	lunch := filepath.Join("..", "..", "content", "scenarios", "lunch-rush.yaml")
	if _, out, _ := runCLI(t, "sim", lunch, "--set", "duration=1h"); !strings.Contains(out, "events (every request simulated)") {
		t.Fatalf("an event run should say so:\n%s", out)
	}
}

func TestQuantities(t *testing.T) {
	counts := map[string]float64{"3M": 3e6, "3,000,000": 3e6, "1.5k": 1500, "2B": 2e9, "42": 42}
	for in, want := range counts {
		if got, err := parseCount("n", in, maxRequests); err != nil || got != want {
			t.Errorf("parseCount(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	mem := map[string]int{"512MB": 512, "1GB": 1024, "1536": 1536, "1.5GB": 1536, "10gb": 10240}
	for in, want := range mem {
		if got, err := parseMemoryMB("m", in, 128, 10240); err != nil || got != want {
			t.Errorf("parseMemoryMB(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"-3", "x", "NaN", "1e999"} {
		if _, err := parseCount("n", bad, maxRequests); err == nil {
			t.Errorf("parseCount(%q) accepted", bad)
		}
	}
	if got := groupDigits(1234567); got != "1,234,567" {
		t.Errorf("groupDigits = %q", got)
	}
	if got := unitPrice(0.2 / 1e6); got != "$0.0000002" {
		t.Errorf("unitPrice = %q", got)
	}
	if got := unitPrice(0.0000166667); got != "$0.0000166667" {
		t.Errorf("unitPrice = %q", got)
	}
	if got := money(1234.5); got != "$1,234.50" {
		t.Errorf("money = %q", got)
	}
}

func roundCents(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Worked examples 4 and 5 of AWS's Lambda pricing page: provisioned
// concurrency beside on-demand requests, through the command's flags.
func TestCostLambdaProvisionedExamples(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--requests", "2.5M", "--duration", "120ms", "--memory", "1536MB", "--provisioned", "100", "--provisioned-hours", "8",
			"--provisioned-requests", "500k", "--provisioned-duration", "100ms", "--free-tier"}, "$19.96"},
		{[]string{"--memory", "4GB", "--provisioned", "7", "--provisioned-hours", "24", "--provisioned-requests", "2M", "--provisioned-duration", "280ms"}, "$32.26"},
	}
	for _, c := range cases {
		code, out, stderr := runCLI(t, append([]string{"cost", "lambda"}, c.args...)...)
		if code != 0 || !strings.Contains(out, "TOTAL") || !strings.Contains(out, c.want) {
			t.Errorf("%v: code %d, want total %s\n%s%s", c.args, code, c.want, out, stderr)
		}
	}
}

// API Gateway's volume tiers through the command: 400 million HTTP API
// requests are $390.00, a billion REST API requests $3,033.10.
func TestCostAPIGatewayTiers(t *testing.T) {
	for _, c := range []struct {
		args []string
		want float64
	}{
		{[]string{"--requests", "400M"}, 390.00},
		{[]string{"--type", "rest", "--requests", "1B"}, 3033.10},
	} {
		code, out, stderr := runCLI(t, append([]string{"cost", "api-gateway", "--json"}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: code %d: %s", c.args, code, stderr)
		}
		var bill struct {
			Items    []struct{ Item string } `json:"items"`
			TotalUSD float64                 `json:"total_usd"`
		}
		must(t, json.Unmarshal([]byte(out), &bill))
		if roundCents(bill.TotalUSD) != c.want || len(bill.Items) < 2 {
			t.Errorf("%v: total %.2f in %d lines, want %.2f over the bands\n%s", c.args, bill.TotalUSD, len(bill.Items), c.want, out)
		}
	}
}

// Switching the pattern with --set and giving none of its rates used to
// run with no requests at all; it is now an error naming the rates.
func TestSetPatternNeedsItsRates(t *testing.T) {
	file := filepath.Join("..", "..", "content", "scenarios", "lunch-rush.yaml")
	code, _, stderr := runCLI(t, "sim", file, "--set", "load.pattern=diurnal")
	if code != 2 || !strings.Contains(stderr, "load.base_rps, load.peak_rps, load.peak_at") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "sim", file, "--set", "duration=1h", "--set", "load.pattern=diurnal",
		"--set", "load.base_rps=2", "--set", "load.peak_rps=8", "--set", "load.peak_at=14h")
	if code != 0 {
		t.Fatalf("with its rates: code %d, %s", code, stderr)
	}
}

// --pricing reads only a regular file of sane size, and says so at once
// for a device or a named pipe.
func TestPricingFlagRefusesNonFiles(t *testing.T) {
	code, _, stderr := runCLI(t, "cost", "lambda", "--pricing", "/dev/zero")
	if code != 2 || !strings.Contains(stderr, "--pricing: /dev/zero: is a device, not a price table file") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "sim", "/dev/zero")
	if code != 2 || !strings.Contains(stderr, "/dev/zero: is a device, not a scenario file") {
		t.Fatalf("sim /dev/zero: code %d, stderr %q", code, stderr)
	}
}
