package okta

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"strconv"
	"sync"

	"github.com/unmask/unmask/internal/ingest"
)

// The fast path decodes a LogEvent in one pass over the record, without reflection,
// into the same logEvent that json.Unmarshal would give. It accepts only what
// json.Unmarshal decodes without error and gives the same result for; anything else
// (a syntax or type error, a duplicate or case-folded key, an escaped key, very deep
// nesting) makes it report false, and decodeRecord falls back to json.Unmarshal, which
// then gives the exact result or error.

// fastPath enables the fast path; tests turn it off to compare.
var fastPath = true

// fastMaxDepth caps the nesting the fast path skips; deeper records take the slow path.
const fastMaxDepth = 256

// decoder is the per-stream state of the fast path: reusable buffers and a cache of
// repeated short strings. Decode takes one from decoders for each stream.
type decoder struct {
	targets []actor
	dbg     []kv
	strs    strCache
}

// kv is a debugData member: its field name and its text.
type kv struct {
	k, v string
}

var decoders = sync.Pool{New: func() any { return &decoder{strs: strCache{seed: maphash.MakeSeed()}} }}

// strCache is a two-way set-associative cache of short strings, so that values repeated
// from record to record (event types, user agents, actors, IP addresses, debugData keys)
// are allocated once rather than for each event. Each cached string is a copy of its own
// bytes, so an event keeps nothing of other records alive; the cache holds at most
// len(slots) strings of up to maxCached bytes.
type strCache struct {
	seed  maphash.Seed
	slots [8192]string
}

const maxCached = 256

// get returns b as a string, the cached copy when there is one.
func (c *strCache) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxCached {
		return string(b)
	}
	i := maphash.Bytes(c.seed, b) & uint64(len(c.slots)-2)
	if s := c.slots[i]; s == string(b) {
		return s
	}
	if s := c.slots[i+1]; s == string(b) {
		c.slots[i], c.slots[i+1] = s, c.slots[i]
		return s
	}
	s := string(b)
	c.slots[i+1] = c.slots[i]
	c.slots[i] = s
	return s
}

// scanner reads one record.
type scanner struct {
	b []byte
	i int
	d *decoder
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) at(c byte) bool { return s.i < len(s.b) && s.b[s.i] == c }

// lit consumes the literal l.
func (s *scanner) lit(l string) bool {
	if len(s.b)-s.i >= len(l) && string(s.b[s.i:s.i+len(l)]) == l {
		s.i += len(l)
		return true
	}
	return false
}

// null consumes a null literal if one is next.
func (s *scanner) null() bool { return s.at('n') && s.lit("null") }

// strSpecial marks the bytes that str must look at: the quote, the backslash, control
// characters and non-ASCII bytes.
var strSpecial = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80
	}
	return t
}()

const lsb, msb = 0x0101010101010101, 0x8080808080808080

// hasByte reports whether one of the 8 bytes of x is c.
func hasByte(x uint64, c byte) uint64 {
	x ^= lsb * uint64(c)
	return (x - lsb) &^ x & msb
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// str consumes a string and returns the bounds of its contents and whether it has
// escapes or non-ASCII bytes (plain: false).
func (s *scanner) str() (start, end int, plain, ok bool) {
	b, i := s.b, s.i
	if i >= len(b) || b[i] != '"' {
		return 0, 0, false, false
	}
	i++
	start, plain = i, true
	for {
		for ; i+8 <= len(b); i += 8 {
			x := binary.LittleEndian.Uint64(b[i:])
			// Any of '"', '\\', a control character or a non-ASCII byte.
			if hasByte(x, '"')|hasByte(x, '\\')|((x-lsb*0x20)&^x&msb)|(x&msb) != 0 {
				break
			}
		}
		for i < len(b) && !strSpecial[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, 0, false, false
		}
		switch c := b[i]; {
		case c == '"':
			s.i = i + 1
			return start, i, plain, true
		case c < 0x20:
			return 0, 0, false, false
		case c == '\\':
			plain = false
			i++
			if i >= len(b) {
				return 0, 0, false, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if len(b)-i < 5 || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return 0, 0, false, false
				}
				i += 5
			default:
				return 0, 0, false, false
			}
		default: // non-ASCII
			plain = false
			i++
		}
	}
}

func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// number consumes a JSON number.
func (s *scanner) number() bool {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i+1)
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return false
		}
		i = j
	}
	s.i = i
	return true
}

// skip consumes any value, checking its syntax.
func (s *scanner) skip(depth int) bool {
	if s.i >= len(s.b) || depth > fastMaxDepth {
		return false
	}
	switch s.b[s.i] {
	case '"':
		_, _, _, ok := s.str()
		return ok
	case '{':
		s.i++
		s.ws()
		if s.at('}') {
			s.i++
			return true
		}
		for {
			if _, _, _, ok := s.str(); !ok {
				return false
			}
			s.ws()
			if !s.at(':') {
				return false
			}
			s.i++
			s.ws()
			if !s.skip(depth + 1) {
				return false
			}
			more, ok := s.next('}')
			if !ok {
				return false
			}
			if !more {
				return true
			}
		}
	case '[':
		s.i++
		s.ws()
		if s.at(']') {
			s.i++
			return true
		}
		for {
			if !s.skip(depth + 1) {
				return false
			}
			more, ok := s.next(']')
			if !ok {
				return false
			}
			if !more {
				return true
			}
		}
	case 't':
		return s.lit("true")
	case 'f':
		return s.lit("false")
	case 'n':
		return s.lit("null")
	}
	return s.number()
}

// next consumes what follows a member or element, after blanks: a ',' and the blanks
// after it (more is true), or the closing byte (more is false); ok is false when neither
// is there.
func (s *scanner) next(close byte) (more, ok bool) {
	s.ws()
	switch {
	case s.at(','):
		s.i++
		s.ws()
		return true, true
	case s.at(close):
		s.i++
		return false, true
	}
	return false, false
}

// key consumes an object key and the ':' after it. Keys with escapes or non-ASCII bytes
// are refused: encoding/json unquotes and case-folds them.
func (s *scanner) key() ([]byte, bool) {
	start, end, plain, ok := s.str()
	if !ok || !plain {
		return nil, false
	}
	s.ws()
	if !s.at(':') {
		return nil, false
	}
	s.i++
	s.ws()
	return s.b[start:end], true
}

// obj consumes an object (or null), calling field with the index in names of each known
// key, positioned at its value; unknown keys are skipped. Duplicate known keys and keys
// that match a name only case-insensitively are refused.
func (s *scanner) obj(depth int, names []string, field func(i int) bool) bool {
	if s.null() {
		return true
	}
	if !s.at('{') || depth > fastMaxDepth {
		return false
	}
	s.i++
	s.ws()
	if s.at('}') {
		s.i++
		return true
	}
	var seen uint64
	for {
		k, ok := s.key()
		if !ok {
			return false
		}
		idx := -1
		for j, n := range names {
			if len(n) == len(k) && string(k) == n {
				idx = j
				break
			}
		}
		if idx >= 0 {
			if seen&(1<<idx) != 0 {
				return false
			}
			seen |= 1 << idx
			if !field(idx) {
				return false
			}
		} else {
			for _, n := range names {
				if len(n) == len(k) && bytes.EqualFold(k, []byte(n)) {
					return false
				}
			}
			if !s.skip(depth + 1) {
				return false
			}
		}
		more, ok := s.next('}')
		if !ok {
			return false
		}
		if !more {
			return true
		}
	}
}

// strVal consumes a string (or null) into dst; cache says whether to share repeated values.
func (s *scanner) strVal(dst *string, cache bool) bool {
	if s.null() {
		return true
	}
	start, end, plain, ok := s.str()
	switch {
	case !ok:
		return false
	case !plain:
		*dst = ingest.JSONText(s.b[start-1 : end+1])
	case cache:
		*dst = s.d.strs.get(s.b[start:end])
	default:
		*dst = string(s.b[start:end])
	}
	return true
}

// textVal consumes any value into dst as ingest.Text reads it.
func (s *scanner) textVal(dst *ingest.Text, depth int) bool {
	start := s.i
	if s.at('"') {
		st, end, plain, ok := s.str()
		if !ok {
			return false
		}
		if plain {
			*dst = ingest.Text(s.d.strs.get(s.b[st:end]))
		} else {
			*dst = ingest.Text(ingest.JSONText(s.b[start:s.i]))
		}
		return true
	}
	if !s.skip(depth) {
		return false
	}
	switch raw := s.b[start:s.i]; raw[0] {
	case 'n':
		*dst = ""
	case '{', '[':
		*dst = ingest.Text(ingest.JSONText(raw))
	default:
		*dst = ingest.Text(s.d.strs.get(raw))
	}
	return true
}

// numToken consumes a number (or null) and returns its text; nil for null.
func (s *scanner) numToken() ([]byte, bool) {
	if s.null() {
		return nil, true
	}
	start := s.i
	if !s.number() {
		return nil, false
	}
	return s.b[start:s.i], true
}

func (s *scanner) floatVal(dst *float64) bool {
	tok, ok := s.numToken()
	if !ok || tok == nil {
		return ok
	}
	f, err := strconv.ParseFloat(string(tok), 64)
	if err != nil {
		return false
	}
	*dst = f
	return true
}

func (s *scanner) intVal(dst *int) bool {
	tok, ok := s.numToken()
	if !ok || tok == nil {
		return ok
	}
	n, err := strconv.ParseInt(string(tok), 10, 64)
	if err != nil {
		return false
	}
	*dst = int(n)
	return true
}

var (
	topNames = []string{"uuid", "published", "eventType", "displayMessage", "severity", "legacyEventType", "actor",
		"client", "device", "outcome", "authenticationContext", "securityContext", "debugContext", "transaction", "target"}
	actorNames    = []string{"id", "type", "alternateId", "displayName"}
	clientNames   = []string{"ipAddress", "device", "zone", "geographicalContext", "userAgent"}
	geoNames      = []string{"city", "state", "country", "postalCode", "geolocation"}
	latLonNames   = []string{"lat", "lon"}
	uaNames       = []string{"rawUserAgent", "os", "browser"}
	deviceNames   = []string{"id", "name", "os_platform", "os_version", "managed", "registered", "disk_encryption_type", "screen_lock_type", "secure_hardware_present"}
	outcomeNames  = []string{"result", "reason"}
	authNames     = []string{"externalSessionId", "rootSessionId", "credentialType", "credentialProvider", "authenticationStep"}
	securityNames = []string{"asNumber", "asOrg", "isp", "domain", "isProxy"}
	debugNames    = []string{"debugData"}
	transactNames = []string{"id", "type"}
)

// fastDecode decodes raw into le, and debugData into d.dbg, reporting false where
// json.Unmarshal must decide.
func (d *decoder) fastDecode(raw []byte, le *logEvent) bool {
	s := &scanner{b: raw, d: d}
	d.dbg = d.dbg[:0]
	s.ws()
	if !s.at('{') {
		return false
	}
	ok := s.obj(0, topNames, func(i int) bool {
		switch i {
		case 0:
			return s.strVal(&le.UUID, false)
		case 1:
			start := s.i
			if !s.skip(1) {
				return false
			}
			return le.Published.UnmarshalJSON(s.b[start:s.i]) == nil
		case 2:
			return s.strVal(&le.EventType, true)
		case 3:
			return s.strVal(&le.DisplayMsg, true)
		case 4:
			return s.strVal(&le.Severity, true)
		case 5:
			return s.strVal(&le.LegacyType, true)
		case 6:
			return s.actor(1, &le.Actor)
		case 7:
			return s.client(&le.Client.IPAddress, &le.Client.Device, &le.Client.Zone, &le.Client.Geo, &le.Client.UserAgent.Raw,
				&le.Client.UserAgent.OS, &le.Client.UserAgent.Browser)
		case 8:
			if s.null() {
				le.Device = nil
				return true
			}
			if !s.at('{') {
				return false
			}
			le.Device = new(device)
			return s.device(le.Device)
		case 9:
			return s.obj(1, outcomeNames, func(i int) bool {
				if i == 0 {
					return s.strVal(&le.Outcome.Result, true)
				}
				return s.strVal(&le.Outcome.Reason, true)
			})
		case 10:
			a := &le.AuthContext
			return s.obj(1, authNames, func(i int) bool {
				switch i {
				case 0:
					return s.strVal(&a.ExternalSessionID, false)
				case 1:
					return s.strVal(&a.RootSessionID, false)
				case 2:
					return s.strVal(&a.CredentialType, true)
				case 3:
					return s.strVal(&a.CredentialProvider, true)
				}
				return s.textVal(&a.AuthStep, 2)
			})
		case 11:
			c := &le.Security
			return s.obj(1, securityNames, func(i int) bool {
				switch i {
				case 0:
					return s.intVal(&c.ASNumber)
				case 1:
					return s.strVal(&c.ASOrg, true)
				case 2:
					return s.strVal(&c.ISP, true)
				case 3:
					return s.strVal(&c.Domain, true)
				}
				return s.textVal(&c.IsProxy, 2)
			})
		case 12:
			return s.obj(1, debugNames, func(int) bool { return s.debugData() })
		case 13:
			return s.obj(1, transactNames, func(i int) bool {
				if i == 0 {
					return s.strVal(&le.Transaction.ID, false)
				}
				return s.strVal(&le.Transaction.Type, true)
			})
		}
		return s.targets(le)
	})
	if !ok {
		return false
	}
	s.ws()
	return s.i == len(s.b)
}

func (s *scanner) actor(depth int, a *actor) bool {
	return s.obj(depth, actorNames, func(i int) bool {
		switch i {
		case 0:
			return s.strVal(&a.ID, true)
		case 1:
			return s.strVal(&a.Type, true)
		case 2:
			return s.strVal(&a.AlternateID, true)
		}
		return s.strVal(&a.DisplayName, true)
	})
}

func (s *scanner) client(ip, dev, zone *string, g *geoContext, ua, os, browser *string) bool {
	return s.obj(1, clientNames, func(i int) bool {
		switch i {
		case 0:
			return s.strVal(ip, true)
		case 1:
			return s.strVal(dev, true)
		case 2:
			return s.strVal(zone, true)
		case 3:
			return s.obj(2, geoNames, func(i int) bool {
				switch i {
				case 0:
					return s.strVal(&g.City, true)
				case 1:
					return s.strVal(&g.State, true)
				case 2:
					return s.strVal(&g.Country, true)
				case 3:
					return s.textVal(&g.PostalCode, 3)
				}
				return s.obj(3, latLonNames, func(i int) bool {
					if i == 0 {
						return s.floatVal(&g.Geolocation.Lat)
					}
					return s.floatVal(&g.Geolocation.Lon)
				})
			})
		}
		return s.obj(2, uaNames, func(i int) bool {
			switch i {
			case 0:
				return s.strVal(ua, true)
			case 1:
				return s.strVal(os, true)
			}
			return s.strVal(browser, true)
		})
	})
}

func (s *scanner) device(d *device) bool {
	return s.obj(1, deviceNames, func(i int) bool {
		switch i {
		case 0:
			return s.strVal(&d.ID, true)
		case 1:
			return s.strVal(&d.Name, true)
		case 2:
			return s.strVal(&d.OSPlatform, true)
		case 3:
			return s.strVal(&d.OSVersion, true)
		case 4:
			return s.textVal(&d.Managed, 2)
		case 5:
			return s.textVal(&d.Registered, 2)
		case 6:
			return s.strVal(&d.DiskEncryptionType, true)
		case 7:
			return s.strVal(&d.ScreenLockType, true)
		}
		return s.textVal(&d.SecureHardwarePresent, 2)
	})
}

// targets consumes the target array (or null) into le.Target.
func (s *scanner) targets(le *logEvent) bool {
	if s.null() {
		le.Target = nil
		return true
	}
	if !s.at('[') {
		return false
	}
	s.i++
	s.ws()
	t := s.d.targets[:0]
	defer func() { s.d.targets = t[:0] }()
	if s.at(']') {
		s.i++
		le.Target = t
		return true
	}
	for {
		if !s.at('{') && !s.at('n') {
			return false
		}
		t = append(t, actor{})
		if !s.actor(2, &t[len(t)-1]) {
			return false
		}
		more, ok := s.next(']')
		if !ok {
			return false
		}
		if !more {
			le.Target = t
			return true
		}
	}
}

// debugData consumes the debugData object (or null) into d.dbg, in order.
func (s *scanner) debugData() bool {
	if s.null() {
		s.d.dbg = s.d.dbg[:0]
		return true
	}
	if !s.at('{') {
		return false
	}
	s.i++
	s.ws()
	if s.at('}') {
		s.i++
		return true
	}
	for {
		k, ok := s.key()
		if !ok {
			return false
		}
		var v string
		if s.at('"') {
			if !s.strVal(&v, true) {
				return false
			}
		} else {
			start := s.i
			if !s.skip(3) {
				return false
			}
			v = ingest.JSONText(s.b[start:s.i])
		}
		s.d.dbg = append(s.d.dbg, kv{k: s.d.debugKey(k), v: v})
		more, ok := s.next('}')
		if !ok {
			return false
		}
		if !more {
			return true
		}
	}
}

const debugPrefix = "debugContext.debugData."

// debugKey returns the field name of debugData key k, shared between records.
func (d *decoder) debugKey(k []byte) string {
	var buf [maxCached]byte
	if len(debugPrefix)+len(k) > len(buf) {
		return debugPrefix + string(k)
	}
	n := copy(buf[:], debugPrefix)
	n += copy(buf[n:], k)
	return d.strs.get(buf[:n])
}
