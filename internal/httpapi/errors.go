package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/unmask/unmask"
)

// statusOf maps each error code to an HTTP status: the one table of its kind.
var statusOf = map[string]int{
	unmask.ECONFLICT:     http.StatusConflict,
	unmask.EINTERNAL:     http.StatusInternalServerError,
	unmask.EINVALID:      http.StatusBadRequest,
	unmask.ENOTFOUND:     http.StatusNotFound,
	unmask.EUNAUTHORIZED: http.StatusUnauthorized,
	unmask.EFORBIDDEN:    http.StatusForbidden,
	unmask.EUNAVAILABLE:  http.StatusServiceUnavailable,
	unmask.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	unmask.ELIMITED:      http.StatusTooManyRequests,
}

// errorBody is the JSON body of every error response.
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// writeError writes err as a JSON error; internal details go to the log only.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := unmask.ErrorCode(err)
	if code == unmask.EINTERNAL {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, err = unmask.ETOOLARGE, unmask.Errorf(unmask.ETOOLARGE, "Request body over %d bytes.", mbe.Limit)
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == unmask.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="unmask"`)
	}
	writeJSON(w, status, errorBody{Error: unmask.ErrorMessage(err), Code: code})
}

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}
