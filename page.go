package unmask

// DefaultLimit is the page size used when a filter gives none; MaxLimit caps any page.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// Page selects a window of a list: Offset items are skipped and at most Limit returned.
// Every Find* filter embeds a Page; the total count returned beside the items ignores it.
type Page struct {
	Offset int `json:"offset,omitempty"`
	Limit  int `json:"limit,omitempty"`
}

// Window returns the offset and limit to apply, with defaults and caps.
func (p Page) Window() (offset, limit int) {
	offset, limit = max(p.Offset, 0), p.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	return offset, min(limit, MaxLimit)
}
