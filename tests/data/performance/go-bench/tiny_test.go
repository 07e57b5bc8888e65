package tiny

import (
	"strconv"
	"strings"
	"testing"
)

func BenchmarkJoin(b *testing.B) {
	parts := make([]string, 100)
	for i := range parts {
		parts[i] = strconv.Itoa(i)
	}
	for i := 0; i < b.N; i++ {
		_ = strings.Join(parts, ",")
	}
}

func BenchmarkCopy(b *testing.B) {
	for _, n := range []int{64, 4096} {
		b.Run("size="+strconv.Itoa(n), func(b *testing.B) {
			src := make([]byte, n)
			b.SetBytes(int64(n))
			for i := 0; i < b.N; i++ {
				dst := make([]byte, n)
				copy(dst, src)
			}
		})
	}
}
