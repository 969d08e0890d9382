package main

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/alerting"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/notify"
)

// defaultMinSeverity is the lowest alert severity notified when the configuration names none.
const defaultMinSeverity = unmask.SeverityMedium

// notifyQueue is how many messages may wait for delivery before new ones go straight to
// the dead-letter store.
const notifyQueue = 1000

// alertNotifier sends a message for every new alert to the configured destinations, off
// the detection path: detection hands messages to a queue that one goroutine drains.
type alertNotifier struct {
	d       *notify.Dispatcher
	db      unmask.DeadLetterService
	baseURL string
	log     *slog.Logger
	queue   chan notify.Message
	done    chan struct{}
	once    sync.Once
}

// notifier returns the notifier of the configured destinations; nil when there are none.
func (m *Main) notifier() (*alertNotifier, error) {
	c := m.Config.Notify
	if len(c.Destinations) == 0 {
		return nil, nil
	}
	n := &alertNotifier{db: m.db, baseURL: strings.TrimSuffix(m.Config.Server.BaseURL, "/"),
		log: m.Logger.With("component", "notify"), queue: make(chan notify.Message, notifyQueue), done: make(chan struct{})}
	var dests []notify.Destination
	for _, dc := range c.Destinations {
		nt, err := newNotifier(dc)
		if err != nil {
			return nil, unmask.WrapError(unmask.EINVALID, err, "notify.destinations %s: %v", dc.Name, err)
		}
		perMin := cmp.Or(dc.PerMinute, 60)
		dests = append(dests, notify.Destination{Name: dc.Name, Notifier: nt, Rate: rate.Limit(float64(perMin) / 60), Burst: max(1, perMin/6),
			MinSeverity: unmask.Severity(cmp.Or(dc.MinSeverity, c.MinSeverity, string(defaultMinSeverity)))})
	}
	d, err := notify.NewDispatcher(notify.DispatcherOptions{Destinations: dests, DeadLetter: n.deadLetter, Logger: n.log})
	if err != nil {
		return nil, err
	}
	n.d = d
	go n.run()
	m.closers = append(m.closers, n.Close)
	return n, nil
}

// newNotifier builds the notifier of one destination.
func newNotifier(d config.DestinationConfig) (notify.Notifier, error) {
	switch d.Kind {
	case "webhook", "slack":
		headers := make(map[string]string, len(d.Headers))
		for k, v := range d.Headers {
			headers[k] = string(v)
		}
		format := notify.FormatJSON
		if d.Kind == "slack" {
			format = notify.FormatSlack
		}
		var secret []byte
		if d.SigningSecret != "" {
			secret = []byte(d.SigningSecret)
		}
		return notify.NewWebhook(notify.WebhookOptions{URL: string(d.URL), Format: format, Headers: headers, Secret: secret})
	case "email":
		return notify.NewEmail(notify.EmailOptions{Addr: d.SMTPAddr, From: d.From, To: d.To, Username: d.Username,
			Password: string(d.Password), AllowPlaintext: d.AllowPlaintext})
	default: // syslog; config validated the kind
		format := notify.FormatRFC5424
		if d.Format == "cef" {
			format = notify.FormatCEF
		}
		return notify.NewSyslog(notify.SyslogOptions{Network: d.Network, Addr: d.Addr, Format: format})
	}
}

// OnAlerts queues a message for each new alert; it never blocks detection. When the
// queue is full the message goes to the dead-letter store instead.
func (n *alertNotifier) OnAlerts(ctx context.Context, res alerting.Result) {
	for _, a := range res.Created {
		link := ""
		if n.baseURL != "" {
			link = n.baseURL + "/people/" + a.PersonID
		}
		msg := notify.FromAlert(a, link)
		select {
		case n.queue <- msg:
		default:
			n.deadLetter(ctx, notify.Undelivered{Destination: "queue", Message: msg, Err: errQueueFull})
		}
	}
}

var errQueueFull = unmask.Errorf(unmask.ELIMITED, "Notification queue full.")

func (n *alertNotifier) run() {
	defer close(n.done)
	for msg := range n.queue {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		if err := n.d.Dispatch(ctx, msg); err != nil {
			n.log.Warn("notification not delivered everywhere", "alert", msg.AlertID, "err", err)
		}
		cancel()
	}
}

// Close stops taking messages and waits until the queued ones were tried.
func (n *alertNotifier) Close() error {
	n.once.Do(func() { close(n.queue) })
	<-n.done
	return nil
}

// deadLetter keeps an undeliverable message with its reason, as source "notify".
func (n *alertNotifier) deadLetter(ctx context.Context, u notify.Undelivered) {
	raw, _ := json.Marshal(u.Message)
	dl := &unmask.DeadLetter{Source: "notify", File: u.Destination, Reason: u.Err.Error(), Raw: raw}
	if err := n.db.CreateDeadLetters(context.WithoutCancel(ctx), []*unmask.DeadLetter{dl}); err != nil {
		n.log.Error("cannot keep undeliverable notification", "destination", u.Destination, "err", err)
	}
}
