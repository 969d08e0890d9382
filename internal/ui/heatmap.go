package ui

import (
	"fmt"
	"math"
	"time"
)

// Heatmap is an hour-of-week activity histogram in one time zone: Counts[day][hour] with
// Monday as day 0.
type Heatmap struct {
	Label  string
	Counts [7][24]int
	Max    int
	Total  int
	// BusinessShare is the fraction of activity in 09:00–18:00, Monday to Friday.
	BusinessShare float64
}

// HeatCell is one drawn cell of a heatmap.
type HeatCell struct {
	X, Y  int
	Level int // 0 (none) to 4 (busiest)
	Title string
}

// Heatmap geometry, in SVG user units.
const (
	heatCell = 18
	heatLeft = 34
	heatTop  = 16
)

var weekdays = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// NewHeatmap counts times by hour of week in loc.
func NewHeatmap(times []time.Time, loc *time.Location, label string) *Heatmap {
	h := &Heatmap{Label: label}
	business := 0
	for _, t := range times {
		lt := t.In(loc)
		day := (int(lt.Weekday()) + 6) % 7
		h.Counts[day][lt.Hour()]++
		h.Total++
		if day < 5 && lt.Hour() >= 9 && lt.Hour() < 18 {
			business++
		}
	}
	for d := range h.Counts {
		for _, c := range h.Counts[d] {
			h.Max = max(h.Max, c)
		}
	}
	if h.Total > 0 {
		h.BusinessShare = float64(business) / float64(h.Total)
	}
	return h
}

// Cells returns the 168 cells to draw.
func (h *Heatmap) Cells() []HeatCell {
	cells := make([]HeatCell, 0, 7*24)
	for d := range 7 {
		for hr := range 24 {
			c := h.Counts[d][hr]
			level := 0
			if c > 0 && h.Max > 0 {
				level = 1 + (3*c)/h.Max
				level = min(level, 4)
			}
			cells = append(cells, HeatCell{X: heatLeft + hr*heatCell, Y: heatTop + d*heatCell, Level: level,
				Title: fmt.Sprintf("%s %02d:00 — %d events", weekdays[d], hr, c)})
		}
	}
	return cells
}

// DayLabels and HourLabels position the axis labels.
func (h *Heatmap) DayLabels() []HeatCell {
	out := make([]HeatCell, 7)
	for d, name := range weekdays {
		out[d] = HeatCell{X: 2, Y: heatTop + d*heatCell + 13, Title: name}
	}
	return out
}

// HourLabels labels every third hour.
func (h *Heatmap) HourLabels() []HeatCell {
	var out []HeatCell
	for hr := 0; hr < 24; hr += 3 {
		out = append(out, HeatCell{X: heatLeft + hr*heatCell + 2, Y: 11, Title: fmt.Sprintf("%02d", hr)})
	}
	return out
}

// Width and Height are the SVG's size.
func (h *Heatmap) Width() int  { return heatLeft + 24*heatCell + 2 }
func (h *Heatmap) Height() int { return heatTop + 7*heatCell + 2 }

// BusinessBox is the rectangle of business hours, drawn as an outline.
func (h *Heatmap) BusinessBox() HeatCell {
	return HeatCell{X: heatLeft + 9*heatCell, Y: heatTop, Title: "09:00–18:00 Mon–Fri"}
}

// BusinessBoxSize returns the outline's width and height.
func (h *Heatmap) BusinessBoxSize() [2]int { return [2]int{9 * heatCell, 5 * heatCell} }

// InferZone returns the whole-hour UTC offset, from UTC−12 to UTC+14, that puts the most
// activity in weekday business hours, as a fixed zone, and that share. Among offsets with
// the same share it takes the one whose business-hours activity centres nearest 13:00,
// then the one nearest UTC. With no times it returns UTC.
func InferZone(times []time.Time) (*time.Location, float64) {
	if len(times) == 0 {
		return time.UTC, 0
	}
	best, bestShare, bestSkew := 0, -1.0, 0.0
	for _, off := range offsetsNearestFirst() {
		loc := time.FixedZone(offsetName(off), off*3600)
		share, skew := NewHeatmap(times, loc, "").BusinessShare, middaySkew(times, loc)
		if share > bestShare+1e-9 || (share > bestShare-1e-9 && skew < bestSkew-1e-9) {
			best, bestShare, bestSkew = off, share, skew
		}
	}
	return time.FixedZone(offsetName(best), best*3600), bestShare
}

// middaySkew is how far from 13:00 the mean local time of day of times in loc is, in hours.
func middaySkew(times []time.Time, loc *time.Location) float64 {
	sum := 0.0
	for _, t := range times {
		lt := t.In(loc)
		sum += float64(lt.Hour()) + float64(lt.Minute())/60
	}
	return math.Abs(sum/float64(len(times)) - 13)
}

func offsetsNearestFirst() []int {
	out := []int{0}
	for d := 1; d <= 14; d++ {
		out = append(out, d)
		if d <= 12 {
			out = append(out, -d)
		}
	}
	return out
}

func offsetName(off int) string {
	if off < 0 {
		return fmt.Sprintf("UTC−%02d:00", -off)
	}
	return fmt.Sprintf("UTC+%02d:00", off)
}
