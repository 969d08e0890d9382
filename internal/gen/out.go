package gen

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// stream is one output log file. Records are buffered and written in time order up to a
// watermark, so files read like the vendor's own exports. A goroutine per open stream
// writes the flushed batches while the next day is generated.
type stream struct {
	Path      string // relative to the output directory
	Source    string // the ingest source that reads it
	head, sep string
	tail      string
	pending   []item
	records   int // records flushed
	events    int
	batches   chan []item   // to the writer; nil when not open
	done      chan error    // the writer's result
	f         *os.File      // owned by the writer while open
	w         *bufio.Writer // owned by the writer while open
}

type item struct {
	t, seq int64
	b      []byte
	events int
}

func (s *stream) open(dir string) error {
	p := filepath.Join(dir, s.Path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", s.Path, err)
	}
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("create %s: %w", s.Path, err)
	}
	s.f, s.w = f, bufio.NewWriterSize(f, 256<<10)
	s.batches, s.done = make(chan []item, 4), make(chan error, 1)
	go s.write(s.batches)
	return nil
}

// write runs on the stream's goroutine: it writes the head, every batch and the tail,
// and reports the first error when the batches end.
func (s *stream) write(batches <-chan []item) {
	_, err := s.w.WriteString(s.head)
	n := 0
	for batch := range batches {
		for _, it := range batch {
			if err != nil {
				break
			}
			if n > 0 {
				_, err = s.w.WriteString(s.sep)
			}
			if err == nil {
				_, err = s.w.Write(it.b)
			}
			n++
		}
	}
	if err == nil {
		_, err = s.w.WriteString(s.tail)
	}
	if err == nil {
		err = s.w.Flush()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.done <- err
}

// flush hands the pending records older than upTo (Unix nanoseconds) to the writer.
func (s *stream) flush(upTo int64) error {
	slices.SortFunc(s.pending, func(a, b item) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.seq, b.seq)) })
	n := 0
	for n < len(s.pending) && s.pending[n].t < upTo {
		s.records++
		s.events += s.pending[n].events
		n++
	}
	if n > 0 {
		s.batches <- slices.Clone(s.pending[:n])
	}
	rest := copy(s.pending, s.pending[n:])
	clear(s.pending[rest:])
	s.pending = s.pending[:rest]
	return nil
}

// close waits for the writer and returns its error.
func (s *stream) close() error {
	if s.batches == nil {
		return nil
	}
	close(s.batches)
	s.batches = nil
	if err := <-s.done; err != nil {
		return fmt.Errorf("write %s: %w", s.Path, err)
	}
	return nil
}

// streams are the log files, one field per file.
type streams struct {
	okta, entra, login, drive, github, osquery, sysmon, conn, dns *stream
}

func (ss *streams) all() []*stream {
	return []*stream{ss.okta, ss.entra, ss.login, ss.drive, ss.github, ss.osquery, ss.sysmon, ss.conn, ss.dns}
}

// ptr returns the field of the i-th stream of all.
func (ss *streams) ptr(i int) **stream {
	return []**stream{&ss.okta, &ss.entra, &ss.login, &ss.drive, &ss.github, &ss.osquery, &ss.sysmon, &ss.conn, &ss.dns}[i]
}

func (ss *streams) flush(upTo int64) error {
	for _, s := range ss.all() {
		if err := s.flush(upTo); err != nil {
			return err
		}
	}
	return nil
}

// zeekConnFields are the columns of conn.log.
var zeekConnFields = []string{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration",
	"orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes", "history", "orig_pkts",
	"orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents"}

var zeekConnTypes = []string{"time", "string", "addr", "port", "addr", "port", "enum", "string", "interval", "count", "count",
	"string", "bool", "bool", "count", "string", "count", "count", "count", "count", "set[string]"}

func (g *generator) openAll() error {
	zeekTime := g.start.Format("2006-01-02-15-04-05")
	conn := "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t" + zeekTime +
		"\n#fields\t" + strings.Join(zeekConnFields, "\t") + "\n#types\t" + strings.Join(zeekConnTypes, "\t") + "\n"
	g.streams = streams{
		okta: &stream{Path: "okta/system_log.ndjson", Source: "okta", sep: "\n", tail: "\n"},
		entra: &stream{Path: "entra/signins.json", Source: "entra", sep: ",\n",
			head: `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[` + "\n", tail: "\n]}\n"},
		login:   &stream{Path: "google/login.ndjson", Source: "google", sep: "\n", tail: "\n"},
		drive:   &stream{Path: "google/drive.ndjson", Source: "google", sep: "\n", tail: "\n"},
		github:  &stream{Path: "github/audit.ndjson", Source: "github", sep: "\n", tail: "\n"},
		osquery: &stream{Path: "osquery/results.ndjson", Source: "osquery", sep: "\n", tail: "\n"},
		sysmon:  &stream{Path: "sysmon/winlogbeat.ndjson", Source: "sysmon", sep: "\n", tail: "\n"},
		conn: &stream{Path: "zeek/conn.log", Source: "zeek", head: conn, sep: "\n",
			tail: "\n#close\t" + g.end.Format("2006-01-02-15-04-05") + "\n"},
		dns: &stream{Path: "zeek/dns.json", Source: "zeek", sep: "\n", tail: "\n"},
	}
	for _, s := range g.streams.all() {
		if err := s.open(g.dir); err != nil {
			return err
		}
	}
	return nil
}

// closeAll closes the log files and records their counts in the manifest.
func (g *generator) closeAll() error {
	var first error
	for _, s := range g.streams.all() {
		if s == nil {
			continue
		}
		open := s.batches != nil
		if err := s.close(); err != nil && first == nil {
			first = err
		}
		if open {
			g.man.Files = append(g.man.Files, File{Path: s.Path, Source: s.Source, Records: s.records, Events: s.events})
		}
	}
	return first
}

// emit queues one JSON record of s at t that decodes to events events.
func (g *generator) emit(s *stream, t time.Time, v any, events int) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("gen: encode %s record: %v", s.Path, err)) // records are plain structs
	}
	g.emitRaw(s, t, b, events)
}

func (g *generator) emitRaw(s *stream, t time.Time, b []byte, events int) {
	g.seq++
	s.pending = append(s.pending, item{t: t.UnixNano(), seq: int64(g.seq), b: b, events: events})
}
