package emoji

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// MoveLegacyDir moves emoji images from the data dir's emoji/ folder, where tusk kept
// them before media storage existed, into the local media folder, so they are served,
// listed and moved between backends like every other object. Their URLs do not change.
func MoveLegacyDir(dataDir string) error {
	old := filepath.Join(dataDir, "emoji")
	entries, err := os.ReadDir(old)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("emoji: %w", err)
	}
	if err := os.MkdirAll(Dir(dataDir), 0o750); err != nil {
		return fmt.Errorf("emoji: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := os.Rename(filepath.Join(old, e.Name()), filepath.Join(Dir(dataDir), e.Name())); err != nil {
			return fmt.Errorf("emoji: move %s: %w", e.Name(), err)
		}
	}
	return os.Remove(old)
}
