// Package bankacct validates and normalises payout bank accounts (US ABA routing plus
// account number, and IBANs) into keys that match one account however it was typed, and
// masks them for display ("****1234").
package bankacct
