package imagestore

import (
	"fmt"
	"io"
	"os"
)

// writeAtomic writes r to path through a temp file in dir and a rename,
// so readers see either the old file or the complete new one. The temp
// name starts with a dot and so never matches a valid id.
func writeAtomic(dir, path string, r io.Reader) (err error) {
	f, err := os.CreateTemp(dir, ".upload-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = io.Copy(f, r); err != nil {
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}
	// Sync before rename: after a crash the name must not point at a
	// file whose data never reached the disk.
	if err = f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", f.Name(), err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", f.Name(), err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}
	return os.Rename(f.Name(), path)
}
