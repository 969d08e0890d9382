package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/gen"
)

// genFlags are the company-size flags that gen and demo share.
type genFlags struct {
	employees, applicants, days int
	seed                        int64
	start                       string
}

func (f *genFlags) register(cmd *cobra.Command, defaultStart string) {
	cmd.Flags().IntVar(&f.employees, "employees", gen.DefaultEmployees, "employees (20 to 15,000)")
	cmd.Flags().IntVar(&f.applicants, "applicants", gen.DefaultApplicants, "applicants in the hiring pipeline")
	cmd.Flags().IntVar(&f.days, "days", gen.DefaultDays, "days of activity")
	cmd.Flags().Int64Var(&f.seed, "seed", 1, "random seed: one seed gives byte-identical files")
	cmd.Flags().StringVar(&f.start, "start", defaultStart, "first day of activity, YYYY-MM-DD, or \"recent\" for the days up to today")
}

// options returns the generator options the flags ask for, at now.
func (f *genFlags) options(now time.Time) (gen.Options, error) {
	opts := gen.Options{Employees: f.employees, Applicants: f.applicants, Days: f.days, Seed: f.seed}
	switch f.start {
	case "":
		opts.Start = gen.DefaultStart
	case "recent":
		opts.Start = now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -f.days)
	default:
		t, err := time.Parse(time.DateOnly, f.start)
		if err != nil {
			return opts, unmask.Errorf(unmask.EINVALID, "--start %q: want YYYY-MM-DD or recent.", f.start)
		}
		opts.Start = t
	}
	if f.employees < 20 || f.employees > 15_000 || f.applicants < 0 || f.days < 1 || f.days > 366 {
		return opts, unmask.Errorf(unmask.EINVALID, "Want 20 to 15,000 employees, no negative applicants and 1 to 366 days.")
	}
	return opts, nil
}

func (m *Main) genCommand() *cobra.Command {
	var out string
	var f genFlags
	cmd := &cobra.Command{
		Use:   "gen --out DIR",
		Short: "Write a synthetic company with planted fraudulent workers, in the vendor formats ingest reads",
		Long: "Write a deterministic synthetic company: HRIS and HR-event CSV, Greenhouse candidates and\n" +
			"résumés, Okta, Entra, Google Workspace, GitHub, osquery, Sysmon, Zeek and Jamf/Intune\n" +
			"records, CIDR lists for IP intelligence, and manifest.json, the ground truth of who was\n" +
			"planted with which indicators.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := f.options(time.Now())
			if err != nil {
				return err
			}
			start := time.Now()
			man, err := gen.Generate(out, opts)
			if err != nil {
				return invalid(err)
			}
			printManifest(m, out, man, time.Since(start))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory to write (required; created)")
	cmd.MarkFlagRequired("out")
	f.register(cmd, "")
	return cmd
}

// printManifest summarises a generated company.
func printManifest(m *Main, dir string, man *gen.Manifest, took time.Duration) {
	events := 0
	for _, f := range man.Files {
		events += f.Events
	}
	fmt.Fprintf(m.Stdout, "Wrote %d files (%s events) for %d employees and %d applicants over %d days to %s in %s.\n",
		len(man.Files), thousands(int64(events)), man.Employees, man.Applicants, man.Days, dir, took.Round(time.Millisecond))
	fmt.Fprintf(m.Stdout, "Planted %d fraudulent workers and %d applicant clusters; the ground truth is in %s/manifest.json.\n",
		len(man.Fraud), len(man.Clusters), dir)
}
