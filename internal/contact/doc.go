// Package contact normalises applicants' phone numbers and e-mail addresses into the keys
// that identity matching compares, classifies them (phone line type and region, free-mail and
// disposable e-mail domains) and masks them for display.
//
// Normalisation is deliberately conservative: two values get the same key only when they
// reach the same mailbox or line. Nothing here looks at a person's name or origin.
package contact
