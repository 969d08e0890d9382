package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/authz"
	"github.com/unmask/unmask/internal/screen"
)

func (m *Main) screenCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "screen FILE|-",
		Short: "Screen an applicant (Greenhouse candidate JSON or Unmask applicant JSON) against everyone known",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := adminContext(cmd.Context())
			raw, err := m.readAll(args[0], screen.MaxApplicantBytes)
			if err != nil {
				return err
			}
			a, err := screen.ParseApplicant(raw)
			if err != nil {
				return err
			}
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			h, err := m.hasher()
			if err != nil {
				return err
			}
			res, err := m.screener(h).ScreenApplicant(ctx, a)
			if err != nil {
				return err
			}
			if err := auditScreen(ctx, authz.New(m.db, authz.Options{}), res); err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(m.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			return printScreen(m.Stdout, a, res)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// readAll reads a file or standard input, up to limit bytes.
func (m *Main) readAll(path string, limit int64) ([]byte, error) {
	var r io.Reader = m.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, unmask.WrapError(unmask.EINVALID, err, "Cannot open %s.", path)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, unmask.Errorf(unmask.ETOOLARGE, "%s is over %d bytes.", path, limit)
	}
	return data, nil
}

func printScreen(w io.Writer, a screen.Applicant, res *screen.Result) error {
	fmt.Fprintf(w, "%s: score %.0f (%s)\n", a.Name, res.Score, res.Band)
	if len(res.Reasons) == 0 {
		_, err := fmt.Fprintln(w, "No reuse, VoIP or threat-intelligence match found.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INDICATOR\tPOINTS\tWHY")
	for _, r := range res.Reasons {
		fmt.Fprintf(tw, "%s\t%.1f\t%s\n", r.Indicator, r.Points, r.Explanation)
		for _, ev := range r.Evidence {
			fmt.Fprintf(tw, "\t\t  shares %s %s with %s (%s)\n", ev.Identifier, ev.Display, ev.Name, ev.Kind)
		}
	}
	return tw.Flush()
}
