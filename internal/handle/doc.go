// Package handle turns profile URLs from applications and résumés into canonical GitHub
// logins and LinkedIn profile handles, so that one account written as many URLs gives one
// identity key.
package handle
