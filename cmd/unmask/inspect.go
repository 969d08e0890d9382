package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/unmask/unmask"
)

func (m *Main) deadLettersCommand() *cobra.Command {
	var source string
	var limit int
	cmd := &cobra.Command{
		Use:   "deadletters",
		Short: "List rejected input records with their position and reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := adminContext(cmd.Context())
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			f := unmask.DeadLetterFilter{Page: unmask.Page{Limit: limit}}
			if source != "" {
				f.Source = &source
			}
			dls, total, err := m.db.FindDeadLetters(ctx, f)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "SOURCE\tFILE\tLINE\tOFFSET\tREASON")
			for _, d := range dls {
				fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\n", d.Source, d.File, d.Line, d.Offset, d.Reason)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(m.Stdout, "%d of %d shown.\n", len(dls), total)
			return err
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "only this source")
	cmd.Flags().IntVar(&limit, "limit", 50, "how many to show")
	return cmd
}

func (m *Main) unresolvedCommand() *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "unresolved",
		Short: "List the accounts, hosts and serials whose events map to no person",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := adminContext(cmd.Context())
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			events, total, err := m.db.FindEvents(ctx, unmask.EventFilter{Unresolved: true, Page: unmask.Page{Limit: unmask.MaxLimit}})
			if err != nil {
				return err
			}
			type actor struct {
				source, name string
				n            int
			}
			counts := map[[2]string]*actor{}
			for _, e := range events {
				name := cmp.Or(e.Actor, e.Host, e.Serial, "(no actor)")
				k := [2]string{e.Source, name}
				if counts[k] == nil {
					counts[k] = &actor{source: e.Source, name: name}
				}
				counts[k].n++
			}
			list := slices.SortedFunc(func(yield func(*actor) bool) {
				for _, a := range counts {
					if !yield(a) {
						return
					}
				}
			}, func(a, b *actor) int { return cmp.Or(b.n-a.n, strings.Compare(a.source+a.name, b.source+b.name)) })
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "SOURCE\tACTOR\tEVENTS")
			for i, a := range list {
				if i == limit {
					break
				}
				fmt.Fprintf(w, "%s\t%s\t%d\n", a.source, a.name, a.n)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(m.Stdout, "%d unresolved events (newest %d grouped).\n", total, len(events))
			return err
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 50, "how many actors to show")
	return cmd
}
