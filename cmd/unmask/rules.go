package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
	"github.com/unmask/unmask/internal/ruleset"
	"github.com/unmask/unmask/rules"
)

func (m *Main) rulesCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "rules", Short: "List, lint and test the Sigma detection rules"}
	cmd.AddCommand(m.rulesListCommand(), m.rulesLintCommand(), m.rulesTestCommand())
	return cmd
}

// ruleOptions returns the options of the configured rule set (rules.disabled, logging)
// with the user rules of dirs; m.Config must be loaded. The detection stage loads its set
// with m.ruleOptions(m.Config.Rules.Dirs...).
func (m *Main) ruleOptions(dirs ...string) ruleset.Options {
	return ruleset.Options{Dirs: dirs, Disabled: m.Config.Rules.Disabled, Logger: m.Logger.With("component", "rules")}
}

// loadRules loads the bundled pack and the user rules of dirs for a CLI command, which
// prints the problems itself.
func loadRules(dirs ...string) (*ruleset.Set, error) {
	return ruleset.Load(ruleset.Options{Dirs: dirs})
}

func (m *Main) rulesListCommand() *cobra.Command {
	var dirs []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the bundled rules and the user rules of rules.dirs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := m.loadConfig(); err != nil {
				return err
			}
			opts := m.ruleOptions(append(append([]string{}, m.Config.Rules.Dirs...), dirs...)...)
			opts.Logger = nil // the problems are printed below
			s, err := ruleset.Load(opts)
			if err != nil {
				return err
			}
			for _, p := range s.Problems() {
				fmt.Fprintf(m.Stderr, "warning: %v\n", p)
			}
			list := s.Metadata()
			if asJSON {
				return json.NewEncoder(m.Stdout).Encode(list)
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tTITLE\tLEVEL\tINDICATORS\tORIGIN")
			for _, r := range list {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Title, r.Level, strings.Join(r.Indicators, ","), r.Origin)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringArrayVar(&dirs, "dir", nil, "a directory or file of user rules, besides rules.dirs (repeatable)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (m *Main) rulesLintCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lint [DIR|FILE...]",
		Short: "Parse and compile rules (default: the bundled pack and rules.dirs) and print every problem",
		Long: "Parse and compile Sigma rules together with the bundled pack, which correlations may\n" +
			"reference, and print each problem as file:line: reason. Exits 2 when there is any.",
		RunE: func(cmd *cobra.Command, args []string) error {
			dirs := args
			if len(dirs) == 0 {
				if err := m.loadConfig(); err != nil {
					return err
				}
				dirs = m.Config.Rules.Dirs
			}
			s, err := loadRules(dirs...)
			if err != nil {
				return err
			}
			probs := s.Problems()
			for _, p := range probs {
				fmt.Fprintln(m.Stdout, p.Error())
			}
			if len(probs) > 0 {
				return unmask.Errorf(unmask.EINVALID, "%s in the rules.", count(len(probs), "problem"))
			}
			_, err = fmt.Fprintf(m.Stdout, "%d rules OK.\n", s.Len())
			return err
		},
	}
}

func (m *Main) rulesTestCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "test [DIR]",
		Short: "Run the rules' fixtures: the bundled pack's, or DIR's rules against DIR/tests/<rule-id>/{tp,fp}/*.jsonl",
		Long: "Run each rule's true-positive (tp) and false-positive (fp) fixtures: JSON lines of\n" +
			"flat events under tests/<rule-id>/tp and tests/<rule-id>/fp. Detection rules must fire\n" +
			"on every tp line and on no fp line; correlations must fire somewhere in a tp file and\n" +
			"nowhere in an fp file. Exits 2 when a rule fails or cannot be loaded.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var fsys fs.FS = rules.FS
			origin, where := unmask.RuleBundled, "the bundled pack"
			var dirs []string
			if len(args) == 1 {
				fsys, origin, where, dirs = os.DirFS(args[0]), unmask.RuleUser, args[0], args
			}
			s, err := loadRules(dirs...)
			if err != nil {
				return err
			}
			res := s.TestFixtures(fsys, func(r unmask.Rule) bool { return r.Origin == origin })
			return m.printFixtures(s.Problems(), res, where)
		},
	}
}

// printFixtures prints fixture results and load problems, and fails when any.
func (m *Main) printFixtures(probs []ruleset.Problem, res []ruleset.FixtureResult, where string) error {
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	for _, p := range probs {
		fmt.Fprintf(w, "FAIL\tload\t%v\n", p)
	}
	failed, skipped := 0, 0
	for _, r := range res {
		switch {
		case !r.Passed():
			failed++
			fmt.Fprintf(w, "FAIL\t%s\t%s\n", r.Name, count(r.Files, "file"))
			for _, f := range r.Failures {
				fmt.Fprintf(w, "\t\t  %s\n", f)
			}
		case r.Files == 0:
			skipped++
			fmt.Fprintf(w, "SKIP\t%s\tno fixtures\n", r.Name)
		default:
			fmt.Fprintf(w, "PASS\t%s\t%s\n", r.Name, count(r.Files, "file"))
		}
	}
	fmt.Fprintf(w, "\n%d passed, %d failed, %d without fixtures.\n", len(res)-failed-skipped, failed, skipped)
	if err := w.Flush(); err != nil {
		return err
	}
	switch {
	case len(res) == 0:
		return unmask.Errorf(unmask.EINVALID, "No rules in %s.", where)
	case failed > 0 || len(probs) > 0:
		return unmask.Errorf(unmask.EINVALID, "%d of %d rules failed their fixtures; %s loading them.", failed, len(res), count(len(probs), "problem"))
	}
	return nil
}

// count writes n and a noun, plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ruleTester adapts a rule set to the HTTP API's RuleTester.
type ruleTester struct{ set *ruleset.Set }

var _ httpapi.RuleTester = ruleTester{}

// TestRule runs the set's TestRule.
func (t ruleTester) TestRule(ctx context.Context, ruleID string, event []byte) (*httpapi.RuleTestResult, error) {
	res, err := t.set.TestRule(ctx, ruleID, event)
	if err != nil {
		return nil, err
	}
	return &httpapi.RuleTestResult{Matched: res.Matched, Detail: res.Detail}, nil
}
