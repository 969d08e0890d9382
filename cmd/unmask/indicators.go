package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/authz"
	"github.com/unmask/unmask/internal/ioc"
)

// indicatorFormats are the indicator list formats `unmask indicators import` reads.
var indicatorFormats = map[string]func(io.Reader, string) (ioc.Result, error){
	"csv":  ioc.LoadCSV,
	"json": ioc.LoadJSON,
	"stix": ioc.LoadSTIX,
}

func (m *Main) indicatorsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "indicators", Short: "Manage threat-intelligence indicators (e-mails, phones, GitHub logins, domains, wallets)"}
	cmd.AddCommand(m.indicatorsImportCommand(), m.indicatorsListCommand())
	return cmd
}

func (m *Main) indicatorsImportCommand() *cobra.Command {
	var format, source string
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import an indicator list from CSV, JSON or a STIX 2.1 bundle",
		Long: "Import indicators. CSV has a header row with type and value columns (and optionally\n" +
			"description, confidence, valid_until, case_id); JSON is an array of objects with those\n" +
			"keys; STIX is a 2.1 bundle of indicator objects. Values are normalised as applicant\n" +
			"identifiers are, so screening matches them. Invalid entries are skipped and listed; an\n" +
			"indicator already imported from the same source is updated. The format is guessed from\n" +
			"the content unless --format is given.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := adminContext(cmd.Context())
			data, err := m.readAll(args[0], ioc.MaxFileBytes)
			if err != nil {
				return err
			}
			if format == "" {
				format = sniffIndicatorFormat(data)
			}
			load, ok := indicatorFormats[format]
			if !ok {
				return unmask.Errorf(unmask.EINVALID, "--format %q: want csv, json or stix.", format)
			}
			if source == "" {
				source = "file:" + filepath.Base(args[0])
			}
			res, err := load(bytes.NewReader(data), source)
			if err != nil {
				return err
			}
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			st, err := importIndicators(ctx, authz.New(m.db, authz.Options{}), res.Indicators)
			if err != nil {
				return err
			}
			for _, r := range res.Reasons {
				fmt.Fprintf(m.Stderr, "skipped %s\n", terminalSafe(r))
			}
			_, err = fmt.Fprintf(m.Stdout, "Imported %d indicators from %s (%s): %d new, %d updated, %d unchanged, %d skipped.\n",
				st.created+st.updated+st.unchanged, source, format, st.created, st.updated, st.unchanged, res.Skipped)
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "csv, json or stix (default: guessed from the content)")
	cmd.Flags().StringVar(&source, "source", "", `feed name recorded with each indicator (default "file:" and the file name)`)
	return cmd
}

// sniffIndicatorFormat guesses a list's format: a JSON object is a STIX bundle, a JSON
// array is STIX objects when its first element has a pattern or spec_version and our
// JSON otherwise, and anything else is CSV.
func sniffIndicatorFormat(data []byte) string {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	switch {
	case bytes.HasPrefix(trimmed, []byte("{")):
		return "stix"
	case bytes.HasPrefix(trimmed, []byte("[")):
		var first []map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &first); err == nil && len(first) > 0 {
			if _, ok := first[0]["pattern"]; ok {
				return "stix"
			}
			if _, ok := first[0]["spec_version"]; ok {
				return "stix"
			}
		}
		return "json"
	}
	return "csv"
}

// importStats counts what an import did.
type importStats struct{ created, updated, unchanged int }

// importIndicators creates each indicator, or updates the one already imported from the
// same source. Every change is authorised and audited by svc.
func importIndicators(ctx context.Context, svc unmask.IndicatorService, inds []unmask.Indicator) (importStats, error) {
	var st importStats
	for i := range inds {
		in := inds[i]
		err := svc.CreateIndicator(ctx, &in)
		if err == nil {
			st.created++
			continue
		}
		if unmask.ErrorCode(err) != unmask.ECONFLICT {
			return st, fmt.Errorf("import indicator %d of %d: %w", i+1, len(inds), err)
		}
		found, _, err := svc.FindIndicators(ctx, unmask.IndicatorFilter{Type: &in.Type, Value: &in.Value, Source: &in.Source, Page: unmask.Page{Limit: 1}})
		if err != nil {
			return st, err
		}
		if len(found) == 0 {
			return st, unmask.Errorf(unmask.ECONFLICT, "Indicator %s %q conflicts with one that cannot be found.", in.Type, in.Value)
		}
		old := found[0]
		if old.Description == in.Description && old.Confidence == in.Confidence && old.ValidUntil.Equal(in.ValidUntil) {
			st.unchanged++
			continue
		}
		if _, err := svc.UpdateIndicator(ctx, old.ID, unmask.IndicatorUpdate{Description: &in.Description, Confidence: &in.Confidence,
			ValidUntil: &in.ValidUntil}); err != nil {
			return st, err
		}
		st.updated++
	}
	return st, nil
}

func (m *Main) indicatorsListCommand() *cobra.Command {
	var typ, source string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List indicators",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := adminContext(cmd.Context())
			f := unmask.IndicatorFilter{Page: unmask.Page{Limit: limit}}
			if typ != "" {
				t := unmask.IndicatorType(strings.ToLower(typ))
				if !t.Valid() {
					return unmask.Errorf(unmask.EINVALID, "--type %q is not an indicator type.", typ)
				}
				f.Type = &t
			}
			if source != "" {
				f.Source = &source
			}
			if limit < 1 || limit > unmask.MaxLimit {
				return unmask.Errorf(unmask.EINVALID, "--limit must be between 1 and %d.", unmask.MaxLimit)
			}
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			list, total, err := authz.New(m.db, authz.Options{}).FindIndicators(ctx, f)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(m.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"items": list, "total": total})
			}
			return printIndicators(m.Stdout, list, total)
		},
	}
	cmd.Flags().StringVar(&typ, "type", "", "only this type: email, phone, github_login, domain, wallet, ...")
	cmd.Flags().StringVar(&source, "source", "", "only indicators from this source")
	cmd.Flags().IntVar(&limit, "limit", 100, "most indicators listed")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printIndicators(w io.Writer, list []*unmask.Indicator, total int) error {
	if total == 0 {
		_, err := fmt.Fprintln(w, "No indicators.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tVALUE\tSOURCE\tCONFIDENCE\tVALID UNTIL\tDESCRIPTION")
	for _, in := range list {
		until := "-"
		if !in.ValidUntil.IsZero() {
			until = in.ValidUntil.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", in.Type, terminalSafe(in.Value), terminalSafe(in.Source), in.Confidence, until,
			terminalSafe(in.Description))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(list) {
		_, err := fmt.Fprintf(w, "%d of %d shown; narrow with --type or --source, or raise --limit.\n", len(list), total)
		return err
	}
	return nil
}

// terminalSafe collapses whitespace and drops control characters, so that text from a
// feed cannot break the table or send escape sequences to the terminal.
func terminalSafe(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}
