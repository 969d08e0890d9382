package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/ingest"
)

func (m *Main) ingestCommand() *cobra.Command {
	var source string
	var allowRejects, noDetect bool
	cmd := &cobra.Command{
		Use:   "ingest --source NAME FILE|-",
		Short: "Ingest a file (or standard input; .gz accepted) in a vendor format",
		Long:  "Ingest a file in a vendor format, then detect, score and alert on it.\n\nSources:\n" + sourceHelp(),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.ingestFile(cmd.Context(), source, args[0], allowRejects, !noDetect)
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "input format (required): "+strings.Join(sourceNames(), ", "))
	cmd.Flags().BoolVar(&allowRejects, "allow-rejects", false, "exit 0 even when records were rejected")
	cmd.Flags().BoolVar(&noDetect, "no-detect", false, "only store the events; skip detection")
	cmd.MarkFlagRequired("source")
	return cmd
}

func sourceHelp() string {
	var b strings.Builder
	for _, n := range sourceNames() {
		fmt.Fprintf(&b, "  %-11s %s\n", n, sources[n].about)
	}
	return b.String()
}

// ingestFile ingests one file or standard input.
func (m *Main) ingestFile(ctx context.Context, source, path string, allowRejects, detect bool) error {
	if _, ok := sources[source]; !ok {
		_, err := openSource(source, nil, nil)
		return err
	}
	if err := m.openDB(ctx, false); err != nil {
		return err
	}
	if m.Config.Log.Level == "info" { // the summary says what an info log would
		m.Logger = newLogger(m.Stderr, config.LogConfig{Level: "warn", Format: m.Config.Log.Format})
	}
	ctx = adminContext(ctx)
	p, err := m.newProcessor(ctx, nil, nil)
	if err != nil {
		return err
	}
	if !detect {
		p.forward = func(context.Context, []*unmask.Event) error { return nil }
	}
	st, err := m.ingestPath(ctx, p, source, path, false)
	if err != nil {
		return err
	}
	if detect {
		if err := p.sweep(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(m.Stdout, "%s: %d accepted, %d duplicate, %d rejected (%s read)\n", source, st.Accepted, st.Duplicates, st.Rejected, bytesText(st.Bytes))
	if n := p.expired.Load(); n > 0 {
		fmt.Fprintf(m.Stderr, "warning: %d of the new events are older than retention.events (%s); `unmask serve` deletes them at its next retention pass unless retention.events is raised.\n",
			n, m.Config.Retention.Events)
	}
	if st.Rejected > 0 && !allowRejects {
		return unmask.Errorf(unmask.EINVALID, "%d records were rejected; they are kept with their reasons in the dead-letter store (use --allow-rejects to accept this).", st.Rejected)
	}
	return nil
}

// ingestPath ingests one file, or standard input for "-", with a progress display. With
// clear the display is wiped at the end, for a caller that prints its own summary line;
// otherwise its final state stays.
func (m *Main) ingestPath(ctx context.Context, p *processor, source, path string, clear bool) (ingest.Stats, error) {
	in, size, name, err := m.openInput(path)
	if err != nil {
		return ingest.Stats{}, err
	}
	defer in.Close()
	prog := newProgress(m.Stderr, source, size)
	st, err := p.run(ctx, source, name, in, prog.update)
	if clear {
		prog.clear()
	} else {
		prog.done(st)
	}
	return st, err
}

// openInput opens path, or standard input for "-", and returns its size when known.
func (m *Main) openInput(path string) (io.ReadCloser, int64, string, error) {
	if path == "-" {
		return io.NopCloser(m.Stdin), 0, "-", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, "", unmask.WrapError(unmask.EINVALID, err, "Cannot open %s.", path)
	}
	var size int64
	if info, err := f.Stat(); err == nil {
		size = info.Size()
	}
	return f, size, path, nil
}

// progress reports ingest progress: a redrawn bar with the rate on a terminal, a line every
// few seconds otherwise.
type progress struct {
	w      io.Writer
	source string
	size   int64
	tty    bool
	start  time.Time
	last   time.Time
}

func newProgress(w io.Writer, source string, size int64) *progress {
	f, ok := w.(*os.File)
	now := time.Now()
	return &progress{w: w, source: source, size: size, tty: ok && term.IsTerminal(int(f.Fd())), start: now, last: now}
}

func (p *progress) update(st ingest.Stats) {
	now := time.Now()
	every := 5 * time.Second
	if p.tty {
		every = 100 * time.Millisecond
	}
	if now.Sub(p.last) < every {
		return
	}
	p.last = now
	p.print(st, now)
}

func (p *progress) print(st ingest.Stats, now time.Time) {
	n := st.Accepted + st.Duplicates + st.Rejected
	secs := max(now.Sub(p.start).Seconds(), 0.001)
	rate := fmt.Sprintf("%s events/s", thousands(int64(float64(n)/secs)))
	line := fmt.Sprintf("%s: %s read, %s records (%d rejected), %s", p.source, bytesText(st.Bytes), thousands(int64(n)), st.Rejected, rate)
	if p.size > 0 {
		frac := min(float64(st.Bytes)/float64(p.size), 1)
		const width = 24
		filled := int(frac * width)
		line = fmt.Sprintf("[%s%s] %3.0f%% %s", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), frac*100, line)
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		return
	}
	fmt.Fprintln(p.w, line)
}

// clear wipes the bar from a terminal; plain progress lines stay.
func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func (p *progress) done(st ingest.Stats) {
	p.print(st, time.Now())
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// thousands formats n with thousands separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
