package risk

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/unmask/unmask"
)

// CorroborationIndicator is the Indicator of the reason that carries the corroboration
// bonus.
const CorroborationIndicator = "corroboration"

// reasons shares score out over the indicators in proportion to their points, plus one
// reason for the corroboration bonus, largest first.
func (b *breakdown) reasons(cfg *Config, score float64) []unmask.RiskReason {
	out := []unmask.RiskReason{}
	if b.total <= 0 {
		return out
	}
	for i := range b.indicators {
		is := &b.indicators[i]
		if is.share <= 0 {
			continue
		}
		out = append(out, unmask.RiskReason{
			Indicator:   is.key,
			Family:      is.family,
			Points:      round2(score * is.share / b.total),
			SignalIDs:   is.signalIDs(),
			EventIDs:    is.eventIDs(),
			Explanation: is.explain(cfg, b.family(is.family)),
		})
	}
	if b.multiplier > 1 {
		out = append(out, unmask.RiskReason{
			Indicator: CorroborationIndicator,
			Points:    round2(score * (b.total - b.base) / b.total),
			SignalIDs: b.corroboratingSignals(),
			Explanation: fmt.Sprintf("Evidence from %d independent sources (families %s) multiplies the total by %.2f.",
				b.sources, strings.Join(b.corroborated, ", "), b.multiplier),
		})
	}
	slices.SortStableFunc(out, func(x, y unmask.RiskReason) int {
		if c := cmp.Compare(y.Points, x.Points); c != 0 {
			return c
		}
		return cmp.Compare(x.Indicator, y.Indicator)
	})
	return out
}

func (is *indicatorScore) signalIDs() []string {
	ids := make([]string, 0, len(is.signals))
	for _, s := range is.signals {
		ids = append(ids, s.sig.ID)
	}
	return ids
}

func (is *indicatorScore) eventIDs() []string {
	var ids []string
	for _, s := range is.signals {
		ids = append(ids, s.sig.EventIDs...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func (b *breakdown) corroboratingSignals() []string {
	var ids []string
	for i := range b.indicators {
		if is := &b.indicators[i]; slices.Contains(b.corroborated, is.family) && is.share > 0 {
			ids = append(ids, is.signals[0].sig.ID)
		}
	}
	return ids
}

// explain writes one sentence on how an indicator's points came about.
func (is *indicatorScore) explain(cfg *Config, fs *familyScore) string {
	top := is.signals[0]
	n := len(is.signals)
	b := make([]byte, 0, 256)
	b = append(b, is.key...)
	b = append(b, " ("...)
	b = append(b, is.family...)
	b = append(b, "), "...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, " signal"...)
	if n != 1 {
		b = append(b, 's')
	}
	if top.sig.Explanation != "" {
		b = append(b, ", strongest: "...)
		b = strconv.AppendQuote(b, strings.TrimSuffix(top.sig.Explanation, "."))
	}
	b = append(b, "; weight "...)
	b = strconv.AppendFloat(b, is.weight.Weight, 'g', -1, 64)
	b = append(b, " × strength "...)
	b = strconv.AppendFloat(b, top.strength, 'f', 2, 64)
	if top.decay < 0.995 {
		b = append(b, ", decayed to "...)
		b = strconv.AppendFloat(b, 100*top.decay, 'f', 0, 64)
		b = append(b, "% after "...)
		b = strconv.AppendFloat(b, top.ageDays, 'f', 0, 64)
		b = append(b, " days"...)
	}
	if top.stageMul != 1 {
		b = append(b, ", ×"...)
		b = strconv.AppendFloat(b, top.stageMul, 'g', -1, 64)
		b = append(b, ' ')
		b = append(b, stagePhrase(top.stage, cfg.NewHireDays)...)
	}
	if n > 1 {
		b = append(b, "; "...)
		b = strconv.AppendInt(b, int64(n-1), 10)
		if n == 2 {
			b = append(b, " more adds with diminishing returns"...)
		} else {
			b = append(b, " more add with diminishing returns"...)
		}
	}
	if is.capped {
		b = append(b, "; capped at "...)
		b = strconv.AppendFloat(b, indicatorCap(is.weight), 'g', -1, 64)
		b = append(b, " points for the indicator"...)
	}
	if fs.capped {
		b = append(b, "; scaled down to fit the "...)
		b = append(b, is.family...)
		b = append(b, " family cap of "...)
		b = strconv.AppendFloat(b, fs.points, 'g', -1, 64)
		b = append(b, " points"...)
	}
	b = append(b, '.')
	return string(b)
}

func stagePhrase(st Stage, newHireDays int) string {
	switch st {
	case StageApplicant:
		return "as an applicant"
	case StageNewHire:
		return "in the first " + strconv.Itoa(newHireDays) + " days of employment"
	}
	return "for tenured staff"
}
