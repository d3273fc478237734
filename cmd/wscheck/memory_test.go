package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/wscheck/wscheck/repo"
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

// TestReleaseMemory: before the Go half the collector gets its defaults
// back, and reads after that no longer set a limit.
func TestReleaseMemory(t *testing.T) {
	oldLimit, oldPercent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(oldPercent)
	defer func() {
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldPercent)
		budget = nil
		repo.SetReadObserver(nil)
	}()
	watchMemory(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != memoryFloor {
		t.Fatalf("limit %d after watchMemory, want the floor", got)
	}
	releaseMemory()
	budget.read(1 << 30)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d after releaseMemory and a read, want none", got)
	}
	if got := debug.SetGCPercent(oldPercent); got != 100 {
		t.Errorf("GOGC %d after releaseMemory, want 100", got)
	}
}

// TestMemoryFromEnvironment: a GOMEMLIMIT or GOGC of the user's wins.
func TestMemoryFromEnvironment(t *testing.T) {
	defer func() { budget = nil }()
	for _, key := range []string{"GOMEMLIMIT", "GOGC"} {
		budget = nil
		watchMemory(func(k string) string {
			if k == key {
				return "1"
			}
			return ""
		})
		if budget != nil {
			t.Errorf("%s set: the budget was installed anyway", key)
		}
	}
}
