package main

import (
	"runtime/debug"
	"sync"

	"github.com/wscheck/wscheck/repo"
)

// Peak memory is held proportional to the input with a soft limit for the
// garbage collector, raised as files are read: by default the heap may
// grow to twice what is live, which on a 47 MB config was 570 MB of RSS
// (12x); at 7x the bytes read it stays under 8x for about 20% more CPU.
// Small runs never reach the floor, so they pay nothing. A limit or GOGC
// the user set in the environment wins: nothing is changed then.
const (
	memoryPerInputByte = 7
	memoryFloor        = 256 << 20
)

type memoryBudget struct {
	mu    sync.Mutex
	limit int64
}

// watchMemory installs the budget unless getenv names GOMEMLIMIT or GOGC.
func watchMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") != "" || getenv("GOGC") != "" {
		return
	}
	b := &memoryBudget{}
	repo.SetReadObserver(b.read)
}

func (b *memoryBudget) read(total int64) {
	want := max(memoryFloor, memoryPerInputByte*total)
	b.mu.Lock()
	defer b.mu.Unlock()
	if want > b.limit {
		b.limit = want
		debug.SetMemoryLimit(want)
	}
}
