package repo

import (
	"path/filepath"
	"slices"
	"sync"
)

// Walks shares the walk of each directory among the halves of one run:
// the gate walks a repository once and every half reads its files from
// that one inventory. The first Discover of a directory walks it and gets
// its errors; later ones get the same files without them, so a directory
// the walk cannot read is reported once. A nil *Walks walks every time.
type Walks struct {
	mu   sync.Mutex
	done map[string]Inventory
}

// Discover is repo.Discover, walked once per directory.
func (w *Walks) Discover(fsys FS, dir string, opts WalkOptions) Inventory {
	if w == nil {
		return Discover(fsys, dir, opts)
	}
	key, err := filepath.Abs(dir)
	if err != nil {
		key = filepath.Clean(dir)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if inv, ok := w.done[key]; ok {
		inv.Errors, inv.NotAnalyzed = nil, nil
		return inv
	}
	inv := Discover(fsys, dir, opts)
	if w.done == nil {
		w.done = map[string]Inventory{}
	}
	// Clipped, so a caller's append never writes into another's view.
	shared := inv
	shared.Nginx, shared.Layouts, shared.YAML = slices.Clip(inv.Nginx), slices.Clip(inv.Layouts), slices.Clip(inv.YAML)
	shared.HAProxy, shared.Apache, shared.Kubernetes = slices.Clip(inv.HAProxy), slices.Clip(inv.Apache), slices.Clip(inv.Kubernetes)
	w.done[key] = shared
	return shared
}
