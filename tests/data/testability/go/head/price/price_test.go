package price

import "testing"

func TestDiscount(t *testing.T) {
	if Discount(200, 10) != 180 {
		t.Fatal("discount")
	}
	if Discount(200, 0) != 200 {
		t.Fatal("zero")
	}
}
