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
