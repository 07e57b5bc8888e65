package price

// Net returns the price without tax.
func Net(gross int) int {
	return gross * 100 / 120
}

// Discount applies a percentage discount.
func Discount(p, pct int) int {
	if pct <= 0 {
		return p
	}
	if pct >= 100 {
		return 0
	}
	return p - p*pct/100
}

// Round rounds to a multiple of step.
func Round(p, step int) int {
	if step == 0 {
		panic("step 0")
	}
	return (p + step/2) / step * step
}
