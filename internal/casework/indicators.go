package casework

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// HashPrefix starts an indicator value that holds a keyed identifier hash, not a value.
const HashPrefix = "hmac-sha256:"

// indicatorTypes maps the identifier kinds that become indicators to their type. Kinds
// missing here are never published (see the package documentation).
var indicatorTypes = map[unmask.IdentifierKind]unmask.IndicatorType{
	unmask.IdentEmail:         unmask.IOCEmail,
	unmask.IdentPhone:         unmask.IOCPhone,
	unmask.IdentAddress:       unmask.IOCAddress,
	unmask.IdentShipToAddress: unmask.IOCAddress,
	unmask.IdentBankAccount:   unmask.IOCBankAccount,
	unmask.IdentGitHubLogin:   unmask.IOCGitHubLogin,
}

// IndicatorType returns the indicator type identifiers of kind become, and false for kinds
// that are never published.
func IndicatorType(kind unmask.IdentifierKind) (unmask.IndicatorType, bool) {
	t, ok := indicatorTypes[kind]
	return t, ok
}

// HashedValue returns the indicator value of a sensitive identifier:
// "hmac-sha256:<kind>:<hash>".
func HashedValue(kind unmask.IdentifierKind, hash string) string {
	return HashPrefix + string(kind) + ":" + strings.ToLower(hash)
}

// ParseHashedValue returns the identifier kind and hash of a value HashedValue wrote, and
// false for any other value (a clear indicator value from a feed).
func ParseHashedValue(v string) (unmask.IdentifierKind, string, bool) {
	rest, ok := strings.CutPrefix(v, HashPrefix)
	if !ok {
		return "", "", false
	}
	kind, hash, ok := strings.Cut(rest, ":")
	k := unmask.IdentifierKind(kind)
	if !ok || !k.Valid() || len(hash) != 64 || strings.ToLower(hash) != hash {
		return "", "", false
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return "", "", false
	}
	return k, hash, true
}

// IndicatorFromIdentifier returns the threat-intel indicator for an identifier of the
// person in a confirmed-fraud case, and false when its kind is never published or it has
// no usable value.
func IndicatorFromIdentifier(caseID string, id *unmask.Identifier) (*unmask.Indicator, bool) {
	t, ok := IndicatorType(id.Kind)
	if !ok {
		return nil, false
	}
	value := id.Value
	if id.Kind.Sensitive() {
		if id.Hash == "" {
			return nil, false
		}
		value = HashedValue(id.Kind, id.Hash)
	}
	if value == "" {
		return nil, false
	}
	return &unmask.Indicator{
		Type: t, Value: value, Source: "case:" + caseID, CaseID: caseID, Confidence: 100,
		Description: fmt.Sprintf("%s of the person in confirmed-fraud case %s.", id.Kind, caseID),
	}, true
}

// publishIndicators creates an indicator for each publishable identifier of the case's
// person, reviving ones an earlier close expired. It returns how many it created and
// revived; indicators that exist and are valid are left alone.
func (s *Service) publishIndicators(ctx context.Context, c *unmask.Case) (created, revived int, err error) {
	ids, err := listAll(func(p unmask.Page) ([]*unmask.Identifier, int, error) {
		return s.identifiers.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &c.PersonID, Page: p})
	})
	if err != nil {
		return 0, 0, fmt.Errorf("find identifiers of case %s: %w", c.ID, err)
	}
	now := s.now()
	for _, id := range ids {
		in, ok := IndicatorFromIdentifier(c.ID, id)
		if !ok {
			continue
		}
		err := s.indicators.CreateIndicator(ctx, in)
		if err == nil {
			created++
			continue
		}
		if unmask.ErrorCode(err) != unmask.ECONFLICT {
			return created, revived, fmt.Errorf("create indicator for case %s: %w", c.ID, err)
		}
		ok, err = s.revive(ctx, in, now)
		if err != nil {
			return created, revived, err
		}
		if ok {
			revived++
		}
	}
	return created, revived, nil
}

// revive makes the stored twin of in valid again if it has expired.
func (s *Service) revive(ctx context.Context, in *unmask.Indicator, now time.Time) (bool, error) {
	found, _, err := s.indicators.FindIndicators(ctx, unmask.IndicatorFilter{Type: &in.Type, Value: &in.Value, Source: &in.Source})
	if err != nil {
		return false, fmt.Errorf("find indicator of %s: %w", in.Source, err)
	}
	if len(found) == 0 || found[0].ValidUntil.IsZero() || found[0].ValidUntil.After(now) {
		return false, nil
	}
	forever := time.Time{}
	if _, err := s.indicators.UpdateIndicator(ctx, found[0].ID, unmask.IndicatorUpdate{ValidUntil: &forever}); err != nil {
		return false, fmt.Errorf("revive indicator %s: %w", found[0].ID, err)
	}
	return true, nil
}

// expireIndicators ends the validity of the case's indicators that are still valid.
func (s *Service) expireIndicators(ctx context.Context, caseID string) (int, error) {
	found, err := listAll(func(p unmask.Page) ([]*unmask.Indicator, int, error) {
		return s.indicators.FindIndicators(ctx, unmask.IndicatorFilter{CaseID: &caseID, Page: p})
	})
	if err != nil {
		return 0, fmt.Errorf("find indicators of case %s: %w", caseID, err)
	}
	now := s.now().UTC()
	n := 0
	for _, in := range found {
		if !in.ValidUntil.IsZero() && !in.ValidUntil.After(now) {
			continue
		}
		if _, err := s.indicators.UpdateIndicator(ctx, in.ID, unmask.IndicatorUpdate{ValidUntil: &now}); err != nil {
			return n, fmt.Errorf("expire indicator %s: %w", in.ID, err)
		}
		n++
	}
	return n, nil
}
