package price

// Net returns the price without tax.
func Net(gross int) int {
	return gross * 100 / 120
}
