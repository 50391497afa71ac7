package sim

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Every time in the JSON output is in seconds; the bucket width too.
func TestSeriesJSONBucketInSeconds(t *testing.T) {
	b, err := json.Marshal(Series{Bucket: 90 * time.Second, Load: []float64{1.5}})
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if !strings.Contains(got, `"bucket_s":90`) || !strings.Contains(got, `"load_rps":[1.5]`) || strings.Contains(got, "Bucket") {
		t.Fatalf("series JSON %s", got)
	}
}

func TestPerSecondTurnsSlotsIntoARate(t *testing.T) {
	s := Series{MeanServiceS: 2}
	got := s.PerSecond([]float64{6, 1})
	if len(got) != 2 || got[0] != 3 || got[1] != 0.5 {
		t.Fatalf("PerSecond = %v, want [3 0.5]", got)
	}
	if (&Series{}).PerSecond([]float64{1}) != nil {
		t.Fatal("no mean service time should give no rate")
	}
}
