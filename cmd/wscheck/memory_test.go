package main

import (
	"runtime/debug"
	"testing"
)

// TestMemoryBudget: the limit starts at the floor, follows the input at
// memoryPerInputByte, and is never lowered.
func TestMemoryBudget(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	b := &memoryBudget{}
	for _, c := range []struct{ read, want int64 }{
		{1 << 20, memoryFloor},
		{100 << 20, memoryPerInputByte * 100 << 20},
		{50 << 20, memoryPerInputByte * 100 << 20},
	} {
		b.read(c.read)
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("after %d bytes read: limit %d, want %d", c.read, got, c.want)
		}
	}
}
