package main

import (
	"math"
	"runtime/debug"
	"sync"

	"github.com/wscheck/wscheck/repo"
)

// The garbage collector runs by a budget instead of Go's default pace.
// By default the heap may grow to twice what is live: on a 47 MB config
// that was 570 MB of RSS (12x). A soft limit of 7x the bytes read, raised
// as files are read, holds it under 8x for about 20% more CPU there.
// Under the limit the collector runs only when the heap has grown fivefold
// (GOGC=400): a run is short and its garbage is most of what it allocates,
// so on the 201-file tree (50 MB peak, a third of nginx -t's) a fifth of
// the CPU went to collections that freed memory nobody was short of. The
// limit never drops below 128 MiB, so a small run never collects for
// it. A limit or GOGC the user set in the environment wins: nothing is
// changed then.
const (
	memoryPerInputByte = 7
	memoryFloor        = 128 << 20
	gcPercent          = 400
)

type memoryBudget struct {
	mu    sync.Mutex
	limit int64
	off   bool
}

// budget is the process's, nil when the environment sets its own.
var budget *memoryBudget

// watchMemory installs the budget unless getenv names GOMEMLIMIT or GOGC.
func watchMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") != "" || getenv("GOGC") != "" {
		return
	}
	budget = &memoryBudget{}
	budget.read(0)
	debug.SetGCPercent(gcPercent)
	repo.SetReadObserver(budget.read)
}

func (b *memoryBudget) read(total int64) {
	want := max(memoryFloor, memoryPerInputByte*total)
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.off && want > b.limit {
		b.limit = want
		debug.SetMemoryLimit(want)
	}
}

// releaseMemory gives the collector back its defaults for the rest of
// the run, before the Go half: what it loads (packages, types, SSA) is
// not read through the file layer, so the budget would not grow with it
// and the collector would run without end near the limit (x/tools with
// its tests peaks at 390 MB).
func releaseMemory() {
	b := budget
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.off {
		b.off = true
		debug.SetMemoryLimit(math.MaxInt64)
		debug.SetGCPercent(100)
	}
}
