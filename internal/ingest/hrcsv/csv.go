package hrcsv

import (
	"bytes"
	"errors"
	"strings"
)

var (
	errUnterminated = errors.New("unterminated quoted field")
	errBareQuote    = errors.New(`bare " in an unquoted field`)
	errAfterQuote   = errors.New("characters after a closing quote")
)

// splitCSV splits one RFC 4180 record (without its line ending) into fields, appending
// them to dst.
func splitCSV(rec []byte, dst []string) ([]string, error) {
	i := 0
	for {
		if i < len(rec) && rec[i] == '"' {
			field, n, err := quoted(rec[i+1:])
			if err != nil {
				return dst, err
			}
			dst = append(dst, field)
			i += 1 + n
			if i == len(rec) {
				return dst, nil
			}
			if rec[i] != ',' {
				return dst, errAfterQuote
			}
			i++
			continue
		}
		j := bytes.IndexByte(rec[i:], ',')
		field := rec[i:]
		if j >= 0 {
			field = rec[i : i+j]
		}
		if bytes.IndexByte(field, '"') >= 0 {
			return dst, errBareQuote
		}
		dst = append(dst, string(field))
		if j < 0 {
			return dst, nil
		}
		i += j + 1
	}
}

// quoted reads a quoted field's content after its opening quote and returns the field and
// the bytes consumed, including the closing quote.
func quoted(b []byte) (string, int, error) {
	var sb strings.Builder
	i := 0
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return "", 0, errUnterminated
		}
		sb.Write(b[i : i+j])
		i += j + 1
		if i < len(b) && b[i] == '"' {
			sb.WriteByte('"')
			i++
			continue
		}
		return sb.String(), i, nil
	}
}

// joinCSV encodes fields as one CSV record, quoting where needed.
func joinCSV(fields []string) []byte {
	var b bytes.Buffer
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		if !strings.ContainsAny(f, "\",\r\n") && strings.TrimSpace(f) == f {
			b.WriteString(f)
			continue
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(f, `"`, `""`))
		b.WriteByte('"')
	}
	return b.Bytes()
}
