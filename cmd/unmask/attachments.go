package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/identifiers"
	"github.com/unmask/unmask/internal/photo"
	"github.com/unmask/unmask/internal/resume"
)

// Attachment limits: the extractor's and hasher's size limits bound memory, and each file
// gets attachmentTimeout of work.
const (
	attachmentTimeout = 20 * time.Second
	maxAttachmentSize = 10 << 20
	// defaultBoilerplateDocs is the number of this run's résumés a phrase may appear in
	// before it counts as boilerplate (recruiter templates, bootcamp blurbs).
	defaultBoilerplateDocs = 20
)

// attachmentSource is the Event.Source of the records whose attachments are read.
const attachmentSource = "greenhouse"

func (m *Main) ingestAttachmentsCommand() *cobra.Command {
	var opts attachmentOptions
	cmd := &cobra.Command{
		Use:   "ingest-attachments --dir DIR",
		Short: "Index ingested Greenhouse candidates' résumés and photos and flag reuse (H-05, H-08)",
		Long: "Read the résumé (PDF, DOCX or text) and photo (JPEG, PNG, GIF, WebP) files that ingested\n" +
			"Greenhouse candidate records name (attachments[].filename, photo_url) from DIR, index them,\n" +
			"and flag résumés that are near-copies, and photos that are reuses, of another applicant's\n" +
			"under a different name. Run it after `unmask ingest --source greenhouse`; files already\n" +
			"indexed are skipped, so it may run again as new candidates arrive. Each file is read\n" +
			"within size and time limits; a malformed or hostile file is reported and skipped.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := adminContext(cmd.Context())
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			if m.Config.Log.Level == "info" { // the summary says what an info log would
				m.Logger = newLogger(m.Stderr, config.LogConfig{Level: "warn", Format: m.Config.Log.Format})
			}
			p, err := m.newProcessor(ctx, nil, nil)
			if err != nil {
				return err
			}
			return m.ingestAttachmentsWith(ctx, p, opts)
		},
	}
	cmd.Flags().StringVar(&opts.dir, "dir", "", "directory of the attachment files, named as in the candidate records (required)")
	cmd.Flags().IntVar(&opts.boilerplate, "boilerplate-docs", defaultBoilerplateDocs,
		"a phrase found in more than this many of the run's résumés is boilerplate and ignored; 0 ignores none")
	cmd.MarkFlagRequired("dir")
	return cmd
}

// attachmentOptions configures one run over an attachment directory.
type attachmentOptions struct {
	dir         string
	boilerplate int // see --boilerplate-docs; negative: none
}

// ingestAttachments indexes the résumés and photos in dir that stored Greenhouse records
// name, recording H-05 and H-08 signals through p's detection engine, and prints a
// summary. The demo calls it after ingesting the company's Greenhouse candidates.
func (m *Main) ingestAttachments(ctx context.Context, p *processor, dir string) error {
	return m.ingestAttachmentsWith(ctx, p, attachmentOptions{dir: dir, boilerplate: defaultBoilerplateDocs})
}

func (m *Main) ingestAttachmentsWith(ctx context.Context, p *processor, opts attachmentOptions) error {
	st, err := indexAttachments(ctx, p, opts, func(name string, err error) {
		fmt.Fprintf(m.Stderr, "rejected %s: %s\n", terminalSafe(name), unmask.ErrorMessage(err))
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(m.Stdout, "Attachments in %s: %d résumés and %d photos screened, %d already indexed, %d missing, %d rejected; "+
		"%d résumé near-copy signals (H-05), %d photo reuse signals (H-08).\n",
		opts.dir, st.resumes, st.photos, st.known, st.missing, st.rejected, st.signals["H-05"], st.signals["H-08"])
	return err
}

// attachmentStats counts what a run did.
type attachmentStats struct {
	resumes, photos int // newly screened and indexed
	known           int // indexed by an earlier run
	missing         int // named by a record but not in the directory
	rejected        int // unreadable, malformed, hostile or over the limits
	signals         map[string]int
}

// attachment is one file a stored record names.
type attachment struct {
	personID, eventID string
	name              string // file name within the directory
	photo             bool
}

// attachmentRun is the state of one run.
type attachmentRun struct {
	p       *processor
	root    *os.Root
	reject  func(name string, err error)
	st      attachmentStats
	names   map[string]string // person id → display name
	builder *identifiers.Builder
}

// indexAttachments does the work of ingestAttachments; reject hears of every file
// rejected.
func indexAttachments(ctx context.Context, p *processor, opts attachmentOptions, reject func(string, error)) (attachmentStats, error) {
	rs, ok := p.m.db.(resume.Store)
	if !ok {
		return attachmentStats{}, unmask.Errorf(unmask.EUNAVAILABLE, "This database keeps no résumé index.")
	}
	root, err := os.OpenRoot(opts.dir)
	if err != nil {
		return attachmentStats{}, unmask.WrapError(unmask.EINVALID, err, "Cannot open attachment directory %s.", opts.dir)
	}
	defer root.Close()
	files, err := storedAttachments(ctx, p.m.db)
	if err != nil {
		return attachmentStats{}, err
	}
	r := &attachmentRun{p: p, root: root, reject: reject, st: attachmentStats{signals: map[string]int{}},
		names: map[string]string{}, builder: identifiers.NewBuilder(p.hasher, nil)}
	var corpus *resume.Corpus
	if opts.boilerplate > 0 {
		corpus = resume.NewCorpus(opts.boilerplate)
	}
	d, err := resume.NewDetector(resume.Options{Store: rs, Corpus: corpus})
	if err != nil {
		return attachmentStats{}, err
	}
	if err := r.resumes(ctx, d, corpus, files); err != nil {
		return r.st, err
	}
	return r.st, r.photos(ctx, files)
}

// storedAttachments lists the résumé and photo files stored Greenhouse records name, once
// per person and file name.
func storedAttachments(ctx context.Context, db unmask.EventService) ([]attachment, error) {
	source := attachmentSource
	seen := map[[2]string]bool{}
	var out []attachment
	add := func(e *unmask.Event, name string, isPhoto bool) {
		if name == "" || seen[[2]string{e.PersonID, name}] {
			return
		}
		seen[[2]string{e.PersonID, name}] = true
		out = append(out, attachment{personID: e.PersonID, eventID: e.ID, name: name, photo: isPhoto})
	}
	for off := 0; ; off += unmask.MaxLimit {
		events, _, err := db.FindEvents(ctx, unmask.EventFilter{Source: &source, Page: unmask.Page{Offset: off, Limit: unmask.MaxLimit}})
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			if e.PersonID == "" {
				continue
			}
			for i := 0; ; i++ {
				prefix := fmt.Sprintf("attachment.%d.", i)
				name, ok := e.Fields[prefix+"filename"]
				if !ok {
					break
				}
				switch {
				case isImageName(name):
					add(e, name, true)
				case strings.EqualFold(e.Fields[prefix+"type"], "resume"):
					add(e, name, false)
				}
			}
			if u, err := url.Parse(e.Fields["photo_url"]); err == nil && u.Path != "" {
				add(e, path.Base(u.Path), true)
			}
		}
		if len(events) < unmask.MaxLimit {
			break
		}
	}
	// Oldest first, so the earlier application is the original and the later the copy.
	slices.Reverse(out)
	return out, nil
}

func isImageName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp":
		return true
	}
	return false
}

// read returns the bytes of an attachment, or ok false when it is missing or rejected
// (which it counts and reports).
func (r *attachmentRun) read(a attachment) (data []byte, ok bool) {
	if a.name != path.Base(a.name) || strings.ContainsAny(a.name, `/\`) || a.name == "." || a.name == ".." {
		r.rejected(a.name, unmask.Errorf(unmask.EINVALID, "File name is not a plain name."))
		return nil, false
	}
	f, err := r.root.Open(a.name)
	if errors.Is(err, fs.ErrNotExist) {
		r.st.missing++
		return nil, false
	}
	if err != nil {
		r.rejected(a.name, unmask.WrapError(unmask.EINVALID, err, "Cannot open the file."))
		return nil, false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		r.rejected(a.name, unmask.Errorf(unmask.EINVALID, "Not a regular file."))
		return nil, false
	}
	data, err = io.ReadAll(io.LimitReader(f, maxAttachmentSize+1))
	if err != nil {
		r.rejected(a.name, unmask.WrapError(unmask.EINVALID, err, "Cannot read the file."))
		return nil, false
	}
	if len(data) > maxAttachmentSize {
		r.rejected(a.name, unmask.Errorf(unmask.ETOOLARGE, "File is over %d bytes.", maxAttachmentSize))
		return nil, false
	}
	return data, true
}

func (r *attachmentRun) rejected(name string, err error) {
	r.st.rejected++
	if r.reject != nil {
		r.reject(name, err)
	}
}

// resumes extracts every new résumé, counts its phrases for boilerplate, then screens
// each against everything indexed, in application order.
func (r *attachmentRun) resumes(ctx context.Context, d *resume.Detector, corpus *resume.Corpus, files []attachment) error {
	ex := resume.NewExtractor(resume.Limits{MaxBytes: maxAttachmentSize})
	rs := r.p.m.db.(resume.Store)
	var pending []resume.Entry
	for _, a := range files {
		if a.photo {
			continue
		}
		data, ok := r.read(a)
		if !ok {
			continue
		}
		sum := sha256.Sum256(data)
		docID := a.personID + ":" + hex.EncodeToString(sum[:12])
		if _, known, err := rs.FindResumeSignature(ctx, docID); err != nil {
			return err
		} else if known {
			r.st.known++
			continue
		}
		fctx, cancel := context.WithTimeout(ctx, attachmentTimeout)
		doc, err := ex.Extract(fctx, bytes.NewReader(data))
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			r.rejected(a.name, err)
			continue
		}
		name, err := r.name(ctx, a.personID)
		if err != nil {
			return err
		}
		e := resume.Entry{DocID: docID, PersonID: a.personID, Name: name, EventID: a.eventID, Shingles: resume.Shingles(doc.Text)}
		if corpus != nil {
			corpus.Add(e.Shingles)
		}
		pending = append(pending, e)
	}
	for _, e := range pending {
		sigs, err := d.Screen(ctx, e)
		if err != nil {
			return err
		}
		r.st.resumes++
		if err := r.record(ctx, sigs); err != nil {
			return err
		}
	}
	return nil
}

// photos hashes every new photo, keeps its perceptual hash as the person's photo_hash
// identifier (so an exact reuse is also a shared identifier) and searches the stored
// hashes for near-duplicates.
func (r *attachmentRun) photos(ctx context.Context, files []attachment) error {
	var todo []attachment
	for _, a := range files {
		if a.photo {
			todo = append(todo, a)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	x, err := r.loadPhotos(ctx)
	if err != nil {
		return err
	}
	h := photo.NewHasher(photo.Limits{MaxBytes: maxAttachmentSize})
	for _, a := range todo {
		data, ok := r.read(a)
		if !ok {
			continue
		}
		fctx, cancel := context.WithTimeout(ctx, attachmentTimeout)
		hs, err := h.Hash(fctx, bytes.NewReader(data))
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			r.rejected(a.name, err)
			continue
		}
		id := r.builder.Plain(a.personID, unmask.IdentPhotoHash, fmt.Sprintf("%016x", hs.PHash), attachmentSource)
		if err := r.p.m.db.CreateIdentifier(ctx, id); unmask.ErrorCode(err) == unmask.ECONFLICT {
			r.st.known++
			continue
		} else if err != nil {
			return err
		}
		name, err := r.name(ctx, a.personID)
		if err != nil {
			return err
		}
		r.st.photos++
		sigs := x.Screen(photo.Photo{ID: id.ID, PersonID: a.personID, Name: name, EventID: a.eventID, PHash: hs.PHash})
		if err := r.record(ctx, sigs); err != nil {
			return err
		}
	}
	return nil
}

// loadPhotos returns an index of every stored photo hash.
func (r *attachmentRun) loadPhotos(ctx context.Context) (*photo.Index, error) {
	x := photo.NewIndex(0, nil)
	kind := unmask.IdentPhotoHash
	for off := 0; ; off += unmask.MaxLimit {
		ids, _, err := r.p.m.db.FindIdentifiers(ctx, unmask.IdentifierFilter{Kind: &kind, Page: unmask.Page{Offset: off, Limit: unmask.MaxLimit}})
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			var hash uint64
			if _, err := fmt.Sscanf(id.Value, "%016x", &hash); err != nil {
				continue // not one of ours
			}
			name, err := r.name(ctx, id.PersonID)
			if err != nil {
				return nil, err
			}
			x.Add(photo.Photo{ID: id.ID, PersonID: id.PersonID, Name: name, PHash: hash})
		}
		if len(ids) < unmask.MaxLimit {
			return x, nil
		}
	}
}

// name returns a person's display name, used only to tell a re-application from another
// identity.
func (r *attachmentRun) name(ctx context.Context, personID string) (string, error) {
	if n, ok := r.names[personID]; ok {
		return n, nil
	}
	p, err := r.p.m.db.FindPersonByID(ctx, personID)
	if err != nil {
		return "", err
	}
	r.names[personID] = p.DisplayName
	return p.DisplayName, nil
}

// record stores signals through the detection engine, which scores and alerts.
func (r *attachmentRun) record(ctx context.Context, sigs []unmask.Signal) error {
	if len(sigs) == 0 {
		return nil
	}
	for _, s := range sigs {
		r.st.signals[s.Indicator]++
	}
	return r.p.detect.Record(ctx, sigs...)
}
