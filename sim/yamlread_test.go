package sim

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// aliasBomb is a "billion laughs" written as one value: each level is a
// list holding the level below (anchored where it first appears) and nine
// aliases to it; a few hundred bytes that expand to 10^depth values.
func aliasBomb(depth int) string {
	level := "[x, x, x, x, x, x, x, x, x, x]"
	for i := 1; i < depth; i++ {
		level = fmt.Sprintf("[&a%d %s%s]", i, level, strings.Repeat(fmt.Sprintf(", *a%d", i), 9))
	}
	return level
}

// allocated reports the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Every YAML reader counts the values it visits, aliases expanded, and
// stops at the budget: a few KB of aliases cannot cost gigabytes.
func TestAliasBudget(t *testing.T) {
	var v struct {
		Sources [][][][][][][][][]string `yaml:"sources"`
	}
	doc := "sources: " + aliasBomb(9) + "\n" // 10^9 strings
	var errs []error
	n := allocated(func() { _, errs = DecodeYAML([]byte(doc), "b.yaml", &v, YAMLOptions{}) })
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "b.yaml:1: sources") || !strings.Contains(errs[0].Error(), "once its aliases are expanded") {
		t.Fatalf("got %v, want the alias budget named", errs)
	}
	if n > 256<<20 {
		t.Errorf("refusing the bomb allocated %d MB", n>>20)
	}
	// A scenario's types are shallow, so its aliases multiply only
	// linearly, but a long list of them still meets the budget.
	spikes := "[&s {at: 1m, duration: 1m, rps: 1}" + strings.Repeat(", *s", maxYAMLNodes/4) + "]"
	src := "duration: 1h\nload: {pattern: spike, spikes: " + spikes + "}\nrequest: {duration: 1s}\ntargets: [{name: f, kind: function}]\n"
	var err error
	n = allocated(func() { _, err = Parse([]byte(src), "spikes.yaml") })
	if err == nil || !strings.Contains(err.Error(), "once its aliases are expanded") {
		t.Fatalf("got %v", err)
	}
	if n > 512<<20 {
		t.Errorf("refusing %d KB of aliases allocated %d MB", len(src)>>10, n>>20)
	}
}

// An alias that contains itself is refused, not followed for ever.
func TestAliasCycle(t *testing.T) {
	var v struct {
		A [][][]string `yaml:"a"`
	}
	_, errs := DecodeYAML([]byte("a: &a [*a]\n"), "c.yaml", &v, YAMLOptions{})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "c.yaml:1: a[0][0]: alias *a refers to itself") {
		t.Fatalf("got %v", errs)
	}
}

// A message repeats at most a few dozen characters of a value from a
// file, whatever its size.
func TestMessagesClipValues(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	base := "duration: 1h\nload: {pattern: constant, rps: 1}\nrequest: {duration: 1s}\ntargets: [{name: f, kind: function}]\n"
	for name, src := range map[string]string{
		"unknown key":     huge[:1000] + ": 1\n" + base, // YAML keys stop at 1,024 characters
		"unknown pattern": strings.Replace(base, "constant", huge, 1),
		"bad duration":    strings.Replace(base, "duration: 1s", "duration: "+huge, 1),
		"bad number":      strings.Replace(base, "rps: 1", `rps: "`+huge+`"`, 1),
		"bad name":        strings.Replace(base, "name: f", "name: "+huge+"!", 1),
	} {
		_, err := Parse([]byte(src), "t.yaml")
		if err == nil {
			t.Errorf("%s: parsed", name)
			continue
		}
		if len(err.Error()) > 400 || !strings.Contains(err.Error(), "xxx…") {
			t.Errorf("%s: %d-byte message %.200q…", name, len(err.Error()), err)
		}
	}
	data, err := os.ReadFile(pricingShippedPath)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "currency: USD", "currency: "+huge, 1)
	if _, err := ParsePricing([]byte(bad), "p.yaml"); err == nil || len(err.Error()) > 400 {
		t.Errorf("price table: %d-byte message", len(err.Error()))
	}
}

// Text from files that a terminal would act on (OSC, CSI, any C0 but
// newline and tab, DEL, C1) is refused where it is written, and the
// message shows it escaped.
func TestControlCharactersRefused(t *testing.T) {
	base := "name: ok\nduration: 1h\nload: {pattern: constant, rps: 1}\nrequest: {duration: 1s}\ntargets: [{name: f, kind: vm, instance: m5.large, count: 1}]\n"
	for _, c := range []struct{ old, new, want string }{
		{"name: ok", `name: "\e]0;pwned\a"`, `t.yaml:1: name: contains a control character (\x1b at character 1)`},
		{"name: ok", `name: "clear\e[2J"`, `t.yaml:1: name: contains a control character (\x1b at character 6)`},
		{"name: ok", `name: "bell\x07"`, `\x07`},
		{"name: ok", `name: "del\x7f"`, `\x7f`},
		{"name: ok", `name: "csi\x9b2J"`, `\x9b`},
		{"instance: m5.large", `instance: "m5\e[31m"`, `t.yaml:5: targets[0].instance: contains a control character`},
	} {
		_, err := Parse([]byte(strings.Replace(base, c.old, c.new, 1)), "t.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.new, err, c.want)
			continue
		}
		for _, r := range err.Error() {
			if isControl(r) {
				t.Errorf("%s: the message carries %U", c.new, r)
			}
		}
	}
	// A raw escape byte in the file is a YAML error that names its line.
	if _, err := Parse([]byte(strings.Replace(base, "name: ok", "name: \"\x1b[2J\"", 1)), "t.yaml"); err == nil || !strings.HasPrefix(err.Error(), "t.yaml:1: YAML syntax: control characters") {
		t.Errorf("raw ESC: %v", err)
	}
	// A file's own name reaches the output as the scenario's name.
	s, err := Parse([]byte(strings.Replace(base, "name: ok\n", "", 1)), "evil\x1b]0;t\a.yaml")
	if err != nil || strings.ContainsAny(s.Name, "\x1b\a") {
		t.Errorf("name from the file name: %q, %v", s.Name, err)
	}
	// The price table's text too.
	data, err := os.ReadFile(pricingShippedPath)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), `note: "$70.08 for 730 h"`, `note: "\e[2J$70.08"`, 1)
	if _, err := ParsePricing([]byte(bad), "p.yaml"); err == nil || !strings.Contains(err.Error(), "ec2.instances.m5.large.note: contains a control character (\\x1b") {
		t.Errorf("price table note: %v", err)
	}
	if got := (&FieldError{File: "a\x1bb", Field: "f\n", Msg: "m\x9b"}).Error(); got != `a\x1bb: f\n: m\x9b` {
		t.Errorf("FieldError escapes: %q", got)
	}
}

// A price table holds finite prices within a range a real price list could
// hold; anything else names the field and the valid range.
func TestPricingSaneValues(t *testing.T) {
	data, err := os.ReadFile(pricingShippedPath)
	if err != nil {
		t.Fatal(err)
	}
	good := string(data)
	for _, c := range []struct{ old, new, want string }{
		{"hourly_usd: 0.096", "hourly_usd: .nan", "ec2.instances.m5.large.hourly_usd: .nan is not a finite number"},
		{"hourly_usd: 0.096", "hourly_usd: .inf", "ec2.instances.m5.large.hourly_usd: .inf is not a finite number"},
		{"hourly_usd: 0.096", "hourly_usd: -.inf", "hourly_usd: -.inf is not a finite number"},
		{"hourly_usd: 0.096", "hourly_usd: 1e300", "ec2.instances.m5.large.hourly_usd: 1e300 is out of range: want 1e-6 to 1e5"},
		{"hourly_usd: 0.096", "hourly_usd: 1e-300", "hourly_usd: 1e-300 is out of range: want 1e-6 to 1e5"},
		{"{usd: 0.20, per: 1000000", "{usd: 1e300, per: 1000000", "lambda.requests.usd: 1e300 is out of range: want 1e-10 to 1e6"},
		{"{usd: 0.20, per: 1000000", "{usd: 0.20, per: 1e-300", "lambda.requests.per: 1e-300 is out of range: want 1 to 1e12"},
		{"    usd: 0.023\n", "    usd: 5e-324\n", "services.s3-storage.usd: 5e-324 is out of range"},
		{"    free: 10000\n", "    free: 1e300\n", "services.cognito-lite.free: 1e300 is out of range: want 0 to 1e15"},
		{"memory_gib: 8, arch: x86_64, hourly_usd: 0.096", "memory_gib: 1e-9, arch: x86_64, hourly_usd: 0.096", "memory_gib: 1e-9 is out of range"},
	} {
		i := strings.Index(good, c.old)
		if i < 0 {
			t.Fatalf("%q not in the shipped table", c.old)
		}
		bad := good[:i] + c.new + good[i+len(c.old):]
		_, err := ParsePricing([]byte(bad), "p.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), fmt.Sprintf("p.yaml:%d: ", strings.Count(bad[:i], "\n")+1)) {
			t.Errorf("%s: %v, want %q on its line", c.new, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "float64") || strings.Contains(err.Error(), "unmarshal")) {
			t.Errorf("%s: Go types in %q", c.new, err)
		}
	}
}

// The shapes a scenario file may take mirror Scenario's fields: every key
// of a shape is a field of the type it shapes, with the same Go type, so
// what the check accepts is what the decoder fills.
func TestShapesMirrorScenario(t *testing.T) {
	shaped := map[reflect.Type][]reflect.Type{
		reflect.TypeFor[Load](): {reflect.TypeFor[constantLoad](), reflect.TypeFor[diurnalLoad](), reflect.TypeFor[businessHoursLoad](),
			reflect.TypeFor[spikeLoad](), reflect.TypeFor[burstyLoad](), reflect.TypeFor[rampLoad](), reflect.TypeFor[traceLoad]()},
		reflect.TypeFor[Request](): {reflect.TypeFor[requestShape](), reflect.TypeFor[lognormalRequest]()},
		reflect.TypeFor[Target]():  {reflect.TypeFor[vmTarget](), reflect.TypeFor[functionTarget]()},
		reflect.TypeFor[Pooling](): {reflect.TypeFor[poolingShape]()},
		reflect.TypeFor[Service](): {reflect.TypeFor[serviceShape]()},
		reflect.TypeFor[Spike]():   {reflect.TypeFor[spikeShape]()},
		reflect.TypeFor[Outage]():  {reflect.TypeFor[outageShape]()},
	}
	c := newYAMLCheck("", 1)
	var mirror func(full, sh reflect.Type)
	mirror = func(full, sh reflect.Type) {
		for _, f := range fieldsOf(sh) {
			g, ok := c.field(full, yamlTag(f))
			switch {
			case !ok:
				t.Errorf("%v has key %s, which %v lacks", sh, yamlTag(f), full)
			case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
				if g.Type.Kind() != reflect.Slice || !slicesContain(shaped[g.Type.Elem()], f.Type.Elem()) {
					t.Errorf("%v.%s: %v does not shape %v", sh, yamlTag(f), f.Type, g.Type)
				}
			case f.Type != g.Type:
				t.Errorf("%v.%s is %v, but %v's is %v", sh, yamlTag(f), f.Type, full, g.Type)
			}
		}
	}
	covered := map[string]bool{}
	for full, shapes := range shaped {
		for _, sh := range shapes {
			mirror(full, sh)
			for _, k := range c.keys(sh).keys {
				covered[full.Name()+"."+k] = true
			}
		}
		// Every key of the full type is some shape's, or a file could
		// never write it.
		for _, k := range c.keys(full).keys {
			if !covered[full.Name()+"."+k] {
				t.Errorf("no shape of %v takes %s", full, k)
			}
		}
	}
	for _, p := range enumValues("pattern") {
		if loadShape(p) == nil {
			t.Errorf("pattern %s has no shape", p)
		}
	}
}

func slicesContain(ts []reflect.Type, t reflect.Type) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
