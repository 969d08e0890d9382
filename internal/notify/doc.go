// Package notify sends notifications about alerts and risk changes to the outside world:
// webhooks (generic JSON or a Slack-compatible payload), e-mail over SMTP with STARTTLS,
// and syslog (RFC 5424 over UDP, TCP or TLS, optionally carrying ArcSight CEF for SIEMs).
//
// A Dispatcher fans a Message out to configured destinations with per-destination rate
// limits, retries with exponential backoff (clock and sleep are injected) and a dead-letter
// callback for messages that could not be delivered.
//
// SSRF safety: every destination (URL, SMTP server, syslog collector) comes from the
// operator's configuration through the Options structs of this package, never from a
// request or from message content. Messages carry only text and IDs; no field of a Message
// is used to choose where it goes. The webhook client does not follow redirects, so a
// configured endpoint cannot bounce requests to an internal address, and URLs with
// embedded credentials are refused (put secrets in Headers). Responses are read to at most
// a few kilobytes and never returned to callers.
//
// Messages carry IDs and reviewer-facing sentences (an alert's title, the explanations of
// a risk score's reasons), never raw HR fields; keep it so when building a Message by hand.
package notify
