package sim

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadTrace(t *testing.T) {
	cases := []struct {
		name, csv string
		rates     []float64
		step      time.Duration
	}{
		{"timestamps with header", "timestamp,requests\n2025-03-04T09:00:00Z,600\n2025-03-04T09:01:00Z,1200\n2025-03-04T09:02:00Z,0\n",
			[]float64{10, 20, 0}, time.Minute},
		{"timestamps with offset zone", "2025-03-04T09:00:00+01:00,50\n2025-03-04T09:00:05+01:00,100\n",
			[]float64{10, 20}, 5 * time.Second},
		{"fractional timestamps", "2025-03-04T09:00:00.5Z,5\n2025-03-04T09:00:01.0Z,5\n",
			[]float64{10, 10}, 500 * time.Millisecond},
		{"seconds with header", "seconds,rps\n0,5\n10,7.5\n20,9\n",
			[]float64{5, 7.5, 9}, 10 * time.Second},
		{"seconds not from zero", "300,1\n360,2\n",
			[]float64{1, 2}, time.Minute},
		{"comments, blanks, CRLF, spaces, BOM", "\ufeffseconds, rps\r\n# the morning\r\n\r\n0, 1\r\n1, 2\r\n",
			[]float64{1, 2}, time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rates, step, err := LoadTrace(strings.NewReader(c.csv), "t.csv")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rates, c.rates) || step != c.step {
				t.Errorf("got %v every %v, want %v every %v", rates, step, c.rates, c.step)
			}
		})
	}
}

func TestLoadTraceErrors(t *testing.T) {
	cases := []struct{ name, csv, want string }{
		{"bad count", "timestamp,requests\n2025-03-04T09:00:00Z,600\n2025-03-04T09:01:00Z,lots\n",
			`t.csv:3: bad requests "lots": want a number`},
		{"negative rps", "seconds,rps\n0,1\n1,-2\n",
			`t.csv:3: rps "-2" must not be negative`},
		{"bad time", "0,1\nnoon,2\n",
			`t.csv:2: "noon" is neither an RFC 3339 timestamp nor a number of seconds`},
		{"three columns", "0,1\n1,2,3\n",
			`t.csv:2: want 2 columns`},
		{"one column", "0\n",
			`t.csv:1: want 2 columns`},
		{"irregular", "0,1\n10,1\n25,1\n",
			`t.csv:3: time "25" breaks the regular interval of 10s (expected 20)`},
		{"irregular timestamps", "2025-03-04T09:00:00Z,1\n2025-03-04T09:01:00Z,1\n2025-03-04T09:03:00Z,1\n",
			`t.csv:3: time "2025-03-04T09:03:00Z" breaks the regular interval of 1m0s (expected 2025-03-04T09:02:00Z)`},
		{"going back", "10,1\n5,1\n",
			`t.csv:2: time "5" is not after the row on line 1`},
		{"repeated time", "2025-03-04T09:00:00Z,1\n2025-03-04T09:00:00Z,1\n",
			`t.csv:2: time "2025-03-04T09:00:00Z" is not after the row on line 1`},
		{"mixed forms", "0,1\n2025-03-04T09:00:00Z,1\n",
			`t.csv:2: timestamp "2025-03-04T09:00:00Z" in a file of seconds`},
		{"mixed forms other way", "2025-03-04T09:00:00Z,1\n60,1\n",
			`t.csv:2: "60" is not an RFC 3339 timestamp`},
		{"timestamp without zone", "2025-03-04 09:00:00,1\n",
			`t.csv:1: "2025-03-04 09:00:00" is neither`},
		{"header only", "timestamp,requests\n",
			`t.csv: no data rows`},
		{"empty", "",
			`t.csv: no data rows`},
		{"one timestamp row", "2025-03-04T09:00:00Z,5\n",
			`t.csv: one row is not enough`},
		{"a span no duration holds", "0,1\n5000000000,1\n",
			`t.csv:2: rows are 5e+09 s apart; a trace may span at most 87840h`},
		// A gap past what a time.Duration holds once wrapped to a negative step.
		{"a gap that overflows a duration", "0,1\n1e10,1\n",
			`t.csv:2: rows are 1e+10 s apart; a trace may span at most 87840h`},
		{"rows that span too long", "0,1\n200000000,1\n400000000,1\n",
			`t.csv: the rows span 6e+08 s; a trace may span at most 87840h`},
		{"one seconds row", "100,4\n",
			`t.csv: one row is not enough to tell the interval; give at least two (for a steady rate use pattern: constant)`},
		{"header later", "0,1\nseconds,rps\n",
			`t.csv:2: "seconds" is neither`},
		{"bad quoting", "0,\"1\n",
			`t.csv:1: extraneous or missing " in quoted-field`},
		{"infinite", "0,1\n1,Inf\n",
			`t.csv:2: bad rps "Inf"`},
		{"too close", "0,1\n0.0001,1\n",
			`t.csv:2: rows are 100µs apart; at least 1ms`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := LoadTrace(strings.NewReader(c.csv), "t.csv")
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("\n got %q\nwant prefix %q", err, c.want)
			}
		})
	}
}

func BenchmarkLoadTrace(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("seconds,rps\n")
	for i := range 10080 { // a week of minutes
		fmt.Fprintf(&sb, "%d,%d\n", i*60, i%97)
	}
	data := sb.String()
	for b.Loop() {
		if _, _, err := LoadTrace(strings.NewReader(data), "week.csv"); err != nil {
			b.Fatal(err)
		}
	}
}
