package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
)

// failingWriter fails every write, the way a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

var lunchRush = filepath.Join("..", "..", "content", "scenarios", "lunch-rush.yaml")

// Output that cannot be written is a failure (exit 1) with a message,
// for every command that prints: to /dev/full where there is one, and to
// a writer that fails everywhere.
func TestWriteErrorsExitOne(t *testing.T) {
	commands := [][]string{
		{"version"},
		{"list"},
		{"lint"},
		{"cost", "lambda", "--requests", "3M"},
		{"cost", "lambda", "--requests", "3M", "--json"},
		{"sim", lunchRush, "--set", "duration=1h"},
		{"sim", lunchRush, "--set", "duration=1h", "--json"},
	}
	outs := map[string]func(t *testing.T) any{
		"failing writer": func(*testing.T) any { return failingWriter{} },
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		outs["/dev/full"] = func(t *testing.T) any {
			f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			must(t, err)
			t.Cleanup(func() { f.Close() })
			return f
		}
	}
	for name, out := range outs {
		for _, args := range commands {
			t.Run(name+"/"+strings.Join(args, " "), func(t *testing.T) {
				t.Setenv("XDG_STATE_HOME", t.TempDir())
				var errb bytes.Buffer
				w := out(t).(interface{ Write([]byte) (int, error) })
				code := run(context.Background(), args, strings.NewReader(""), w, &errb)
				if code != 1 || !strings.Contains(errb.String(), "writing output") {
					t.Errorf("code %d, stderr %q; want 1 and a message", code, errb.String())
				}
			})
		}
	}
}

// Every quantity flag is bounded, and no bill inside the bounds shows a
// wrapped integer, NaN or infinity, in text or JSON.
func TestCostQuantitiesAtTheEdges(t *testing.T) {
	refused := []struct {
		args []string
		want string
	}{
		// 3e13 requests of 15 minutes wrapped int64 and billed $14 billion.
		{[]string{"lambda", "--requests", "3e13", "--duration", "15m"}, "--requests: 3e13 is more than 10,000,000,000,000"},
		// 1e15 said "negative usage".
		{[]string{"lambda", "--requests", "1e15", "--duration", "15m"}, "--requests: 1e15 is more than"},
		{[]string{"lambda", "--requests", "6e12", "--provisioned", "1", "--provisioned-hours", "1", "--provisioned-requests", "6e12"}, "together at most 10,000,000,000,000"},
		{[]string{"lambda", "--provisioned-duration", "16m", "--provisioned", "1", "--provisioned-hours", "1"}, "--provisioned-duration: 16m0s is longer than Lambda's 15m0s limit"},
		{[]string{"lambda", "--ephemeral", "20GB"}, "--ephemeral: 20GB is outside 512 MB to 10,240 MB"},
		{[]string{"lambda", "--provisioned", "2M", "--provisioned-hours", "1"}, "--provisioned: 2M is more than 1,000,000"},
		{[]string{"lambda", "--provisioned", "1", "--provisioned-hours", "9000"}, "--provisioned-hours: 9000 is more than 8,784"},
		// An infinite amount printed $+Inf.-9223372036854775808 and exit 0.
		{[]string{"s3", "--storage", "1e308"}, "--storage: 1e308 is more than 1,000,000,000,000"},
		{[]string{"s3", "--gets", "1e300"}, "--gets: 1e300 is more than"},
		{[]string{"sqs", "--requests", "1e300"}, "--requests: 1e300 is more than"},
		{[]string{"cognito", "--mau", "1e11"}, "--mau: 1e11 is more than 10,000,000,000"},
		{[]string{"dynamodb", "--reads", "1e14"}, "--reads: 1e14 is more than"},
		{[]string{"ec2", "--hours", "1e9"}, "--hours: 1e9 is more than 8,784"},
		{[]string{"ec2", "--count", "0"}, "--count: want 1 to 1,000,000"},
	}
	for _, c := range refused {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, stderr := runCLI(t, append([]string{"cost"}, c.args...)...)
			if code != 2 || !strings.Contains(stderr, c.want) || out != "" {
				t.Errorf("code %d, stderr %q, out %q; want 2 and %q", code, stderr, out, c.want)
			}
		})
	}
	accepted := [][]string{
		{"lambda"}, // zero traffic
		{"lambda", "--requests", "1e13", "--duration", "15m", "--memory", "10GB", "--ephemeral", "10GB"},
		{"lambda", "--requests", "5e12", "--duration", "15m", "--memory", "10GB", "--provisioned", "1M", "--provisioned-hours", "8784",
			"--provisioned-requests", "5e12", "--arch", "arm64"},
		{"lambda", "--requests", "1e13", "--duration", "1ms", "--memory", "128MB"},
		{"ec2", "--count", "1M", "--hours", "8784", "--instance", "m5.large"},
		{"s3", "--storage", "1e12", "--puts", "1e13", "--gets", "1e13"},
		{"api-gateway", "--requests", "1e13", "--type", "rest"},
		{"cognito", "--mau", "1e10", "--type", "plus"},
		{"dynamodb", "--reads", "1e13", "--writes", "1e13"},
		{"sqs", "--requests", "1e13", "--type", "fifo"},
	}
	for _, args := range accepted {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, text, stderr := runCLI(t, append([]string{"cost"}, args...)...)
			if code != 0 {
				t.Fatalf("code %d: %s", code, stderr)
			}
			for _, bad := range []string{"Inf", "NaN", "e+", "-922", "$-"} {
				if strings.Contains(text, bad) {
					t.Errorf("text bill shows %q:\n%s", bad, text)
				}
			}
			code, js, stderr := runCLI(t, append([]string{"cost", "--json"}, args...)...)
			if code != 0 {
				t.Fatalf("json: code %d: %s", code, stderr)
			}
			var bill billOutput
			must(t, json.Unmarshal([]byte(js), &bill))
			sum := 0.0
			for _, it := range bill.Items {
				for _, v := range []float64{it.Quantity, it.UnitPrice, it.AmountUSD} {
					if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
						t.Errorf("%s: %v", it.Item, it)
					}
				}
				sum += it.AmountUSD
			}
			if math.Abs(sum-bill.TotalUSD) > 0.01*math.Max(1, float64(len(bill.Items))) || bill.TotalUSD > maxBillUSD {
				t.Errorf("total %v, items add up to %v", bill.TotalUSD, sum)
			}
		})
	}
}

// The largest Lambda month the flags allow is billed exactly: 10 trillion
// requests of 15 minutes at 10 GB are 9e16 GB-s, every one of them billed.
func TestCostLambdaLargestMonth(t *testing.T) {
	code, js, stderr := runCLI(t, "cost", "lambda", "--json", "--requests", "1e13", "--duration", "15m", "--memory", "10GB")
	if code != 0 {
		t.Fatal(stderr)
	}
	var bill billOutput
	must(t, json.Unmarshal([]byte(js), &bill))
	gbs, requests := 0.0, 0.0
	for _, it := range bill.Items {
		switch it.Unit {
		case "GB-s":
			gbs += it.Quantity
		case "requests":
			requests += it.Quantity
		}
	}
	if gbs != 9e16 || requests != 1e13 {
		t.Errorf("billed %g GB-s and %g requests, want 9e16 and 1e13:\n%s", gbs, requests, js)
	}
}

func TestCheckBillRefusesNonFiniteAmounts(t *testing.T) {
	for _, v := range []float64{math.Inf(1), math.NaN(), 2e15} {
		b := sim.Bill{Items: []sim.BillItem{{Item: "storage", Quantity: 1, UnitPrice: v, AmountUSD: v}}, TotalUSD: v}
		if err := checkBill(b); err == nil || strings.Contains(err.Error(), "Inf") || strings.Contains(err.Error(), "NaN") {
			t.Errorf("checkBill(%v) = %v", v, err)
		}
	}
	if got := money(math.Inf(1)); strings.Contains(got, "Inf") || strings.Contains(got, "922") {
		t.Errorf("money(+Inf) = %q", got)
	}
}

// Large figures are grouped, never printed as 1000000000000000.
func TestLargeNumbersAreGrouped(t *testing.T) {
	code, out, _ := runCLI(t, "cost", "api-gateway", "--requests", "1e13")
	// Past the first 300 million, the second tier's line.
	if code != 0 || !strings.Contains(out, "9,999,700,000,000 requests") {
		t.Errorf("code %d:\n%s", code, out)
	}
	if got := groupDigits(1e15); got != "1,000,000,000,000,000" {
		t.Errorf("groupDigits(1e15) = %q", got)
	}
	if got := money(2.7e19); got != "$27,000,000,000,000,000,000.00" {
		t.Errorf("money(2.7e19) = %q", got)
	}
}

// `lint DIR` names DIR, not --content; --content names --content.
func TestContentFolderErrorsNameWhereItCameFrom(t *testing.T) {
	code, _, stderr := runCLI(t, "lint", "/no/such/dir")
	if code != 2 || !strings.Contains(stderr, "lint /no/such/dir: no such folder") || strings.Contains(stderr, "--content") {
		t.Errorf("lint DIR: code %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "list", "--content", "/no/such/dir")
	if code != 2 || !strings.Contains(stderr, "--content /no/such/dir: no such folder") {
		t.Errorf("--content: code %d, %q", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "file")
	must(t, os.WriteFile(file, nil, 0o600))
	if code, _, stderr = runCLI(t, "lint", file); code != 2 || !strings.Contains(stderr, "lint "+file+": not a folder") {
		t.Errorf("lint FILE: code %d, %q", code, stderr)
	}
	if os.Geteuid() == 0 {
		return // root reads any folder
	}
	dir := t.TempDir()
	must(t, os.Chmod(dir, 0o000))
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	code, _, stderr = runCLI(t, "list", "--content", dir)
	if code != 2 || !strings.Contains(stderr, "--content "+dir+": cannot read the folder") || strings.Contains(stderr, "lessons") {
		t.Errorf("unreadable folder: code %d, %q", code, stderr)
	}
}

// rawControl finds a byte a terminal would act on: C0 controls other
// than newline and tab, DEL, and C1 controls (U+0080–U+009F in UTF-8).
func rawControl(s string) (string, bool) {
	for i, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			return s[max(0, i-20):min(len(s), i+20)], true
		}
	}
	return "", false
}

const hostile = "\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e"

// Text from lesson files, scenario files, price tables and flags reaches
// the terminal escaped, whatever the command and whether it succeeds.
func TestNoControlCharactersReachTheTerminal(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "lessons"), 0o755))
	must(t, os.MkdirAll(filepath.Join(dir, "scenarios"), 0o755))
	yq := func(s string) string { b, _ := json.Marshal(s); return string(b) } // JSON strings are YAML strings
	lesson := "---\ntitle: " + yq("Evil "+hostile+" title") + "\nscenario: evil\n---\nBody " + hostile + "\n"
	must(t, os.WriteFile(filepath.Join(dir, "lessons", "01-evil.md"), []byte(lesson), 0o644))
	scenario, err := os.ReadFile(lunchRush)
	must(t, err)
	evil := strings.Replace(string(scenario), "name: ", "name: "+yq("evil "+hostile)+" # ", 1)
	must(t, os.WriteFile(filepath.Join(dir, "scenarios", "evil.yaml"), []byte(evil), 0o644))
	broken := filepath.Join(dir, "broken "+hostile+".yaml")
	must(t, os.WriteFile(broken, []byte("load: {pattern: "+yq(hostile)+"}\n"), 0o644))

	for _, args := range [][]string{
		{"list", "--content", dir},
		{"lint", dir},
		{"--content", dir, "--lesson", hostile},
		{"sim", filepath.Join(dir, "scenarios", "evil.yaml"), "--set", "duration=1h"},
		{"sim", filepath.Join(dir, "scenarios", "evil.yaml"), "--set", "duration=1h", "--json"},
		{"sim", broken},
		{"sim", lunchRush, "--set", "targets." + hostile + "=1"},
		{"cost", "lambda", "--requests", hostile},
		{"cost", "ec2", "--instance", hostile},
		{"--theme", hostile},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, out, stderr := runCLI(t, args...)
			for name, s := range map[string]string{"stdout": out, "stderr": stderr} {
				if near, ok := rawControl(s); ok {
					t.Errorf("%s carries a raw control character near %q", name, near)
				}
			}
		})
	}
}

func TestPrintable(t *testing.T) {
	cases := map[string]string{
		"plain text, ünïcode ✓": "plain text, ünïcode ✓",
		"a\x1b[2Jb":             `a\x1b[2Jb`,
		"bell\x07":              `bell\x07`,
		"c1\u009bx":             `c1\u009bx`,
		"del\x7f":               `del\x7f`,
		"rtl\u202eevil":         `rtl\u202eevil`,
		"bad\xffutf8":           `bad\xffutf8`,
		"tab\tand\nnewline":     `tab\x09and\x0anewline`,
	}
	for in, want := range cases {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := printableLines("one\x1b\ntwo"); got != "one\\x1b\ntwo" {
		t.Errorf("printableLines kept or lost the wrong things: %q", got)
	}
	js := jsonSafe([]byte("{\"a\": \"x\u0085y\x7fz ✓\"}"))
	var v map[string]string
	if err := json.Unmarshal(js, &v); err != nil || v["a"] != "x\u0085y\x7fz ✓" {
		t.Errorf("jsonSafe changed the document: %s, %v", js, err)
	}
	if _, bad := rawControl(string(js)); bad {
		t.Errorf("jsonSafe left a control character: %q", js)
	}
}

// `list` reads progress for display only: a file from a newer
// serverless-tour gets a plain warning and stays exactly as it was.
func TestListLeavesANewerProgressFileAlone(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path, err := lessons.DefaultProgressPath()
	must(t, err)
	must(t, os.MkdirAll(filepath.Dir(path), 0o700))
	newer := []byte(`{"version": 3, "lessons": {"contract-of-trust": {"visited": true}}}`)
	must(t, os.WriteFile(path, newer, 0o600))
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"list"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.Contains(errb.String(), "newer serverless-tour") || !strings.Contains(errb.String(), "version 3") {
		t.Fatalf("code %d, stderr %q", code, errb.String())
	}
	if data, _ := os.ReadFile(path); !bytes.Equal(data, newer) {
		t.Errorf("file changed to %q", data)
	}
	if moved, _ := filepath.Glob(path + ".corrupt-*"); len(moved) != 0 {
		t.Errorf("moved aside: %v", moved)
	}
}

// `list` marks complete lessons and says what is left in those begun.
func TestListShowsWhatIsLeft(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path, err := lessons.DefaultProgressPath()
	must(t, err)
	var p lessons.Progress
	p.Open("contract-of-trust")
	p.Open("idle-capacity")
	p.Answer("idle-capacity", 0, 3, 0)
	_, err = p.Save(path)
	must(t, err)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"list"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("code %d: %s", code, errb.String())
	}
	lines := strings.Split(out.String(), "\n")
	var quiz lessons.Progress // every built-in lesson has a quiz of three
	for q := range 3 {
		quiz.Answer("contract-of-trust", q, 3, 0)
	}
	quiz.MeetChallenge("contract-of-trust")
	p = p.Merge(quiz)
	if !strings.Contains(lines[1], "begun; left: challenge, quiz 0 of 3 answered") {
		t.Errorf("lesson 1 line: %q", lines[1])
	}
	if !strings.Contains(lines[2], "begun; left:") || !strings.Contains(lines[2], "quiz 1 of") {
		t.Errorf("lesson 2 line: %q", lines[2])
	}
	if strings.Contains(lines[3], "✓") || strings.Contains(lines[3], "left") {
		t.Errorf("lesson 3 (never opened) line: %q", lines[3])
	}
	// Meeting lesson 1's challenge and answering its quiz completes it.
	_, err = p.Save(path)
	must(t, err)
	out.Reset()
	run(context.Background(), []string{"list"}, strings.NewReader(""), &out, &errb)
	if line := strings.Split(out.String(), "\n")[1]; !strings.HasSuffix(strings.TrimSpace(line), "✓") {
		t.Errorf("lesson 1 after its quiz: %q", line)
	}
}
