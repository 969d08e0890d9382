// Package postal normalises postal addresses into comparable keys.
//
// An address is split into its street part (house number, street name, suffix and
// directionals, or a PO box) and its unit part (apartment, suite, floor), each normalised for
// case, punctuation and USPS Publication 28 abbreviations. Two keys come out: BuildingKey,
// equal for every unit of one building, and FullKey, equal only for the same unit, so
// "same building, different unit" can be told apart from "same address".
package postal
