package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Paging limits of list routes.
const (
	defaultPageLimit = 50
	maxPageLimit     = 500
	maxJSONBody      = 1 << 20
)

// listBody is the JSON body of every list response. NextCursor is empty on the last page.
type listBody[T any] struct {
	Items      []T    `json:"items"`
	Total      int    `json:"total"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// encodeCursor returns the opaque cursor of the page starting at offset.
func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

// decodeCursor returns the offset a cursor stands for.
func decodeCursor(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		if n, ok := strings.CutPrefix(string(b), "o:"); ok {
			if off, err := strconv.Atoi(n); err == nil && off >= 0 && off <= 1<<30 {
				return off, nil
			}
		}
	}
	return 0, unmask.Errorf(unmask.EINVALID, "Invalid cursor.")
}

// pageOf reads the cursor and limit query parameters.
func pageOf(r *http.Request) (unmask.Page, error) {
	off, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return unmask.Page{}, err
	}
	limit := defaultPageLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageLimit {
			return unmask.Page{}, unmask.Errorf(unmask.EINVALID, "limit must be between 1 and %d.", maxPageLimit)
		}
		limit = n
	}
	return unmask.Page{Offset: off, Limit: limit}, nil
}

// writeList writes one page of items with the cursor of the next page.
func writeList[T any](w http.ResponseWriter, items []T, total int, p unmask.Page) error {
	body := listBody[T]{Items: items, Total: total}
	if body.Items == nil {
		body.Items = []T{}
	}
	if next := p.Offset + len(items); len(items) > 0 && next < total {
		body.NextCursor = encodeCursor(next)
	}
	return writeJSON(w, http.StatusOK, body)
}

// decodeJSON reads a JSON request body into v, refusing unknown fields and trailing data.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return unmask.Errorf(unmask.EINVALID, "Send the body as application/json.")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return err
		}
		return unmask.WrapError(unmask.EINVALID, err, "Invalid JSON body: %s.", jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return unmask.Errorf(unmask.EINVALID, "Invalid JSON body: trailing data after the object.")
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the input.
func jsonProblem(err error) string {
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return "field " + strconv.Quote(e.Field) + " has the wrong type"
	}
	if after, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "unknown field " + after
	}
	if errors.Is(err, io.EOF) {
		return "empty body"
	}
	return "malformed JSON"
}

// query returns a pointer to a query parameter, or nil when absent.
func query(r *http.Request, name string) *string {
	if v := r.URL.Query().Get(name); v != "" {
		return &v
	}
	return nil
}

// queryTime parses an RFC 3339 query parameter.
func queryTime(r *http.Request, name string) (*time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, unmask.Errorf(unmask.EINVALID, "%s must be an RFC 3339 time.", name)
	}
	return &t, nil
}

// queryEnum returns a parameter converted to T after checking it with valid.
func queryEnum[T ~string](r *http.Request, name string, valid func(T) bool) (*T, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	t := T(v)
	if !valid(t) {
		return nil, unmask.Errorf(unmask.EINVALID, "%s %q is not valid.", name, v)
	}
	return &t, nil
}

// actor returns the acting user of an authenticated request.
func actor(r *http.Request) *unmask.User { return unmask.UserFromContext(r.Context()) }
