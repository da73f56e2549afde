// Package money handles amounts as integer minor units (fen for CNY) with
// a currency code. There are no floats anywhere money is counted.
package money

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultCurrency is used when none is given.
const DefaultCurrency = "CNY"

// Currencies the platform accepts, with their minor-unit exponent.
var exponents = map[string]int{"CNY": 2, "USD": 2, "EUR": 2, "HKD": 2, "JPY": 0}

// ValidCurrency reports whether code is accepted.
func ValidCurrency(code string) bool { _, ok := exponents[code]; return ok }

// BPS applies a rate in basis points (1/100 of a percent) to an amount,
// rounding half up, so 5% of 999 fen is 50 fen.
func BPS(amount int64, bps int) int64 {
	return (amount*int64(bps) + 5000) / 10000
}

// Format renders minor units as a decimal string: 12345 CNY → "123.45".
func Format(minor int64, currency string) string {
	exp, ok := exponents[currency]
	if !ok {
		exp = 2
	}
	if exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	div := int64(1)
	for i := 0; i < exp; i++ {
		div *= 10
	}
	return fmt.Sprintf("%s%d.%0*d", sign, minor/div, exp, minor%div)
}

// Parse reads a decimal string ("12.5", "12.50", "12") into minor units,
// refusing more decimals than the currency has.
func Parse(s, currency string) (int64, error) {
	exp, ok := exponents[currency]
	if !ok {
		return 0, fmt.Errorf("money: unknown currency %q", currency)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("money: empty amount")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > exp {
		return 0, fmt.Errorf("money: %q has more than %d decimals", s, exp)
	}
	for len(frac) < exp {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	if strings.ContainsAny(whole+frac, "+-eE ") {
		return 0, fmt.Errorf("money: %q is not a decimal amount", s)
	}
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("money: %q is not a decimal amount", s)
	}
	if neg {
		v = -v
	}
	return v, nil
}
