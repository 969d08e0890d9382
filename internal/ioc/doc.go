// Package ioc loads threat-intelligence indicator lists (CSV, JSON and STIX 2.1 bundles) of
// DPRK IT-worker e-mails, phones, GitHub logins, domains and wallets, normalises their values
// the same way applicant identifiers are normalised, and matches applicants against them
// (H-03).
package ioc
