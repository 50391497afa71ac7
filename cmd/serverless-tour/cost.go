package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/serverless-tour/serverless-tour/sim"
)

// billOutput is the JSON shape of `cost ... --json`.
type billOutput struct {
	Service  string         `json:"service"`
	Region   string         `json:"region"`
	AsOf     string         `json:"as_of"`
	Source   string         `json:"source,omitempty"`
	Items    []sim.BillItem `json:"items"`
	TotalUSD float64        `json:"total_usd"`
}

func newCostCmd(g *globalFlags, stdout io.Writer) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "cost",
		Short: "Price a month of use from the dated price table, line by line",
		Long: "Price usage from the built-in price table (or --pricing FILE) as an itemised\n" +
			"bill: each line's quantity, unit price and amount, and a total.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError{"say what to price: " + subcommandNames(cmd)}
		},
	}
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print the bill as JSON")

	// print renders a bill; section names the price table section for its source.
	print := func(pricing *sim.Pricing, service, section string, bill sim.Bill) error {
		if err := checkBill(bill); err != nil {
			return err
		}
		// A bill is in cents: each line rounded, the total their sum, the
		// way AWS's own worked examples add up.
		out := billOutput{Service: service, Region: pricing.Region, AsOf: pricing.AsOf, Source: pricing.Source(section), Items: []sim.BillItem{}, TotalUSD: bill.RoundedTotal()}
		for _, it := range bill.Items {
			it.AmountUSD = sim.RoundCents(it.AmountUSD)
			out.Items = append(out.Items, it)
		}
		w := &checkedWriter{w: stdout}
		if asJSON {
			return w.done(writeJSON(w, out))
		}
		printBill(w, out)
		return w.done(nil)
	}
	withPricing := func(f func(p *sim.Pricing) (string, string, sim.Bill, error)) func(*cobra.Command, []string) error {
		return func(*cobra.Command, []string) error {
			p, err := g.pricing()
			if err != nil {
				return err
			}
			service, section, bill, err := f(p)
			if err != nil {
				return err
			}
			return print(p, service, section, bill)
		}
	}

	cmd.AddCommand(
		lambdaCostCmd(withPricing),
		ec2CostCmd(withPricing),
		serviceCostCmd(withPricing, "api-gateway", "API Gateway requests", "requests", maxRequests, map[string]string{"http": "api-gateway-http", "rest": "api-gateway-rest"}, "http"),
		serviceCostCmd(withPricing, "sqs", "SQS requests (each 64 KB chunk is one)", "requests", maxRequests, map[string]string{"standard": "sqs", "fifo": "sqs-fifo"}, "standard"),
		serviceCostCmd(withPricing, "cognito", "Cognito monthly active users", "mau", maxUsers, map[string]string{"lite": "cognito-lite", "essentials": "cognito-essentials", "plus": "cognito-plus"}, "essentials"),
		dynamoCostCmd(withPricing),
		s3CostCmd(withPricing),
	)
	return cmd
}

type pricer = func(f func(p *sim.Pricing) (service, section string, bill sim.Bill, err error)) func(*cobra.Command, []string) error

func lambdaCostCmd(with pricer) *cobra.Command {
	var requests, duration, memory, arch, ephemeral, provisioned, pcHours, pcRequests, pcDuration string
	var freeTier bool
	c := &cobra.Command{
		Use:   "lambda",
		Short: "Price Lambda requests and duration (GB-seconds), optionally with provisioned concurrency",
		Example: "  serverless-tour cost lambda --requests 3M --duration 120ms --memory 1536MB --free-tier\n" +
			"  serverless-tour cost lambda --requests 2M --duration 280ms --memory 4GB --provisioned 7 --provisioned-hours 24 --provisioned-requests 2M",
		Args: cobra.NoArgs,
		RunE: with(func(p *sim.Pricing) (string, string, sim.Bill, error) {
			n, err := parseWhole("requests", requests, maxRequests)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			d, err := lambdaDuration("duration", duration)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			mb, err := parseMemoryMB("memory", memory, lambdaMinMB, lambdaMaxMB)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			eph, err := parseMemoryMB("ephemeral", ephemeral, lambdaFreeEphemeralMB, lambdaMaxMB)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			if arch != "x86_64" && arch != "arm64" {
				return "", "", sim.Bill{}, usageError{fmt.Sprintf("--arch must be x86_64 or arm64, not %q", arch)}
			}
			pc, err := parseWhole("provisioned", provisioned, maxInstances)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			hours, err := parseCount("provisioned-hours", pcHours, maxHours)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			pcN, err := parseWhole("provisioned-requests", pcRequests, maxRequests)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			if float64(n+pcN) > maxRequests {
				return "", "", sim.Bill{}, usageError{fmt.Sprintf("--requests and --provisioned-requests: together at most %s", groupDigits(maxRequests))}
			}
			pcD := d
			if pcDuration != "" {
				if pcD, err = lambdaDuration("provisioned-duration", pcDuration); err != nil {
					return "", "", sim.Bill{}, err
				}
			}
			if pc == 0 && (pcN > 0 || hours > 0) {
				return "", "", sim.Bill{}, usageError{"--provisioned-requests and --provisioned-hours need --provisioned N"}
			}
			if pc > 0 && hours == 0 {
				return "", "", sim.Bill{}, usageError{"--provisioned needs --provisioned-hours (how long it was configured)"}
			}
			u := sim.LambdaUsage{
				Arch:                arch,
				MemoryMB:            mb,
				Requests:            n + pcN,
				BilledMS:            n * billedMS(d),
				EphemeralMB:         eph,
				ProvisionedCount:    int(pc),
				ProvisionedSeconds:  hours * 3600,
				ProvisionedBilledMS: pcN * billedMS(pcD),
				FreeTier:            freeTier,
			}
			bill, err := p.LambdaBill(u)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			return "lambda", "lambda", bill, nil
		}),
	}
	f := c.Flags()
	f.StringVar(&requests, "requests", "0", "on-demand requests in the month (3M, 1.5k, 3000000; with --provisioned-requests at most "+shortCount(maxRequests)+")")
	f.StringVar(&duration, "duration", "100ms", "mean duration of one request (Go duration: 120ms, 1s; at most 15m)")
	f.StringVar(&memory, "memory", "128MB", "configured memory (128MB to 10GB)")
	f.StringVar(&arch, "arch", "x86_64", "x86_64 or arm64")
	f.StringVar(&ephemeral, "ephemeral", "512MB", "ephemeral storage (512MB, which is free, to 10GB)")
	f.BoolVar(&freeTier, "free-tier", false, "apply the monthly free tier (1M requests, 400,000 GB-s)")
	f.StringVar(&provisioned, "provisioned", "0", "provisioned concurrency (environments kept warm; at most "+shortCount(maxInstances)+")")
	f.StringVar(&pcHours, "provisioned-hours", "0", "hours provisioned concurrency was configured (at most "+shortCount(maxHours)+", a leap year)")
	f.StringVar(&pcRequests, "provisioned-requests", "0", "requests served by provisioned environments (with --requests at most "+shortCount(maxRequests)+")")
	f.StringVar(&pcDuration, "provisioned-duration", "", "their mean duration (default: --duration; at most 15m)")
	return c
}

// Lambda's limits on one function (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
const (
	lambdaMinMB           = 128
	lambdaMaxMB           = 10240
	lambdaFreeEphemeralMB = 512
)

// lambdaDuration reads the mean duration of one invocation, at most
// Lambda's timeout.
func lambdaDuration(flag, s string) (time.Duration, error) {
	d, err := parseDuration(flag, s)
	if err == nil && d > sim.MaxFunctionTimeout {
		err = usageError{fmt.Sprintf("--%s: %v is longer than Lambda's %v limit on one invocation", flag, d, sim.MaxFunctionTimeout)}
	}
	return d, err
}

// billedMS is one request's billed duration: Lambda rounds up to the millisecond.
func billedMS(d time.Duration) int64 {
	return int64(math.Ceil(float64(d) / float64(time.Millisecond)))
}

func ec2CostCmd(with pricer) *cobra.Command {
	var instance, count, hours, purchase string
	c := &cobra.Command{
		Use:     "ec2",
		Short:   "Price EC2 instances by the hour, on demand or with a savings plan",
		Example: "  serverless-tour cost ec2 --instance m5.large --count 2 --hours 730 --purchase savings-plan",
		Args:    cobra.NoArgs,
		RunE: with(func(p *sim.Pricing) (string, string, sim.Bill, error) {
			if _, ok := p.Instance(instance); !ok {
				return "", "", sim.Bill{}, usageError{fmt.Sprintf("--instance: unknown instance %q; the price table has %s", instance, printable(strings.Join(p.Instances(), ", ")))}
			}
			n, err := parseWhole("count", count, maxInstances)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			if n < 1 {
				return "", "", sim.Bill{}, usageError{fmt.Sprintf("--count: want 1 to 1,000,000 instances, got %s", printable(count))}
			}
			h, err := parseCount("hours", hours, maxHours)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			if purchase != "on-demand" && purchase != "savings-plan" {
				return "", "", sim.Bill{}, usageError{fmt.Sprintf("--purchase must be on-demand or savings-plan, not %q", purchase)}
			}
			// EC2 bills each instance per second with a 60-second minimum.
			perVM := math.Max(h*3600, 60)
			if h == 0 {
				perVM = 0
			}
			bill, err := p.EC2Bill(sim.EC2Usage{Instance: instance, Purchase: purchase, Count: int(n), InstanceSeconds: perVM * float64(n)})
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			return "ec2", "ec2", bill, nil
		}),
	}
	f := c.Flags()
	f.StringVar(&instance, "instance", "m5.large", "instance type")
	f.StringVar(&count, "count", "1", "how many instances (1 to "+shortCount(maxInstances)+")")
	f.StringVar(&hours, "hours", "730", "hours each runs (730 is an average month; at most "+shortCount(maxHours)+", a leap year)")
	f.StringVar(&purchase, "purchase", "on-demand", "on-demand or savings-plan")
	return c
}

// serviceCostCmd prices one service counted in a single unit, with a
// --type that picks among its price lines.
func serviceCostCmd(with pricer, name, what, flag string, limit float64, types map[string]string, def string) *cobra.Command {
	var qty, kind string
	names := make([]string, 0, len(types))
	for k := range types {
		names = append(names, k)
	}
	sort.Strings(names)
	c := &cobra.Command{
		Use:   name,
		Short: "Price " + what,
		Args:  cobra.NoArgs,
		RunE: with(func(p *sim.Pricing) (string, string, sim.Bill, error) {
			service, ok := types[kind]
			if !ok {
				return "", "", sim.Bill{}, usageError{fmt.Sprintf("--type must be one of %s, not %q", strings.Join(names, ", "), kind)}
			}
			n, err := parseCount(flag, qty, limit)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			bill, err := p.ServiceBill(service, n)
			if err != nil {
				return "", "", sim.Bill{}, err
			}
			return service, service, bill, nil
		}),
	}
	c.Flags().StringVar(&qty, flag, "0", what+" in the month (10M, 1.5k, 2500000; at most "+shortCount(limit)+")")
	c.Flags().StringVar(&kind, "type", def, strings.Join(names, " or "))
	return c
}

func dynamoCostCmd(with pricer) *cobra.Command {
	var reads, writes string
	c := &cobra.Command{
		Use:     "dynamodb",
		Short:   "Price DynamoDB on-demand read and write request units",
		Example: "  serverless-tour cost dynamodb --reads 10M --writes 2M",
		Args:    cobra.NoArgs,
		RunE: with(func(p *sim.Pricing) (string, string, sim.Bill, error) {
			return sumBills(p, []string{"dynamodb-read", "dynamodb-write"}, []string{reads, writes}, []string{"reads", "writes"}, []float64{maxRequests, maxRequests})
		}),
	}
	c.Flags().StringVar(&reads, "reads", "0", "read request units (at most "+shortCount(maxRequests)+")")
	c.Flags().StringVar(&writes, "writes", "0", "write request units (at most "+shortCount(maxRequests)+")")
	return c
}

func s3CostCmd(with pricer) *cobra.Command {
	var storage, puts, gets string
	c := &cobra.Command{
		Use:     "s3",
		Short:   "Price S3 Standard storage and requests",
		Example: "  serverless-tour cost s3 --storage 500 --puts 1M --gets 20M",
		Args:    cobra.NoArgs,
		RunE: with(func(p *sim.Pricing) (string, string, sim.Bill, error) {
			return sumBills(p, []string{"s3-storage", "s3-put", "s3-get"}, []string{storage, puts, gets}, []string{"storage", "puts", "gets"}, []float64{maxStorageGB, maxRequests, maxRequests})
		}),
	}
	c.Flags().StringVar(&storage, "storage", "0", "GB stored for the month (at most "+shortCount(maxStorageGB)+")")
	c.Flags().StringVar(&puts, "puts", "0", "PUT, COPY, POST and LIST requests (at most "+shortCount(maxRequests)+")")
	c.Flags().StringVar(&gets, "gets", "0", "GET and SELECT requests (at most "+shortCount(maxRequests)+")")
	return c
}

// sumBills prices several lines of one service into a single bill.
func sumBills(p *sim.Pricing, services, quantities, flags []string, limits []float64) (string, string, sim.Bill, error) {
	var total sim.Bill
	for i, s := range services {
		n, err := parseCount(flags[i], quantities[i], limits[i])
		if err != nil {
			return "", "", sim.Bill{}, err
		}
		b, err := p.ServiceBill(s, n)
		if err != nil {
			return "", "", sim.Bill{}, err
		}
		total = total.Plus(b)
	}
	return strings.SplitN(services[0], "-", 2)[0], services[0], total, nil
}

func printBill(w io.Writer, b billOutput) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ITEM\tQUANTITY\tUNIT PRICE\tAMOUNT")
	for _, it := range b.Items {
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\n", printable(it.Item), groupDigits(it.Quantity), printable(it.Unit), unitPrice(it.UnitPrice), money(it.AmountUSD))
	}
	fmt.Fprintf(tw, "TOTAL\t\t\t%s\n", money(b.TotalUSD))
	tw.Flush()
	fmt.Fprintf(w, "\nPrices: %s, as of %s", printable(b.Region), printable(b.AsOf))
	if b.Source != "" {
		fmt.Fprintf(w, " (%s)", printable(b.Source))
	}
	fmt.Fprintln(w, ".")
}

func subcommandNames(cmd *cobra.Command) string {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return strings.Join(names, ", ")
}

// checkBill refuses a bill no one should be shown: an amount that is not
// a finite number, or a total past maxBillUSD (the quantities are bounded,
// so only a price table with absurd prices gets here).
func checkBill(b sim.Bill) error {
	infinite := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	bad := func(v float64) bool { return infinite(v) || math.Abs(v) > maxBillUSD }
	for _, it := range b.Items {
		if bad(it.AmountUSD) || infinite(it.UnitPrice) || infinite(it.Quantity) {
			return usageError{fmt.Sprintf("%s: the amount is not a sensible number ($%s); check the quantities and the price table", printable(it.Item), groupDigits(it.AmountUSD))}
		}
	}
	if bad(b.TotalUSD) {
		return usageError{fmt.Sprintf("the bill comes to more than $%s; check the quantities and the price table", groupDigits(maxBillUSD))}
	}
	return nil
}

// shortCount writes a limit the way the help text reads best: 10 trillion.
func shortCount(v float64) string {
	for _, u := range []struct {
		n    float64
		name string
	}{{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}} {
		if v >= u.n && v == math.Trunc(v/u.n)*u.n {
			return fmt.Sprintf("%g %s", v/u.n, u.name)
		}
	}
	return groupDigits(v)
}
