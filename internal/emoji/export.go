package emoji

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"path/filepath"
)

// Export writes every local emoji image to w as a .tar.gz whose file names are the
// shortcodes, so Import reads the archive back into the same emoji. It returns how many
// it wrote. Categories are not kept: Import's --category sets one on the way back.
func (im *Importer) Export(ctx context.Context, w io.Writer) (int, error) {
	list, err := im.Store.LocalEmojis(ctx)
	if err != nil {
		return 0, err
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	n := 0
	for _, e := range list {
		if err := im.exportOne(ctx, tw, e.Shortcode+filepath.Ext(e.File), e.File); err != nil {
			return n, err
		}
		n++
	}
	if err := tw.Close(); err != nil {
		return n, fmt.Errorf("emoji: export: %w", err)
	}
	if err := gz.Close(); err != nil {
		return n, fmt.Errorf("emoji: export: %w", err)
	}
	return n, nil
}

func (im *Importer) exportOne(ctx context.Context, tw *tar.Writer, name, file string) error {
	obj, err := im.blobs().Open(ctx, Key(file))
	if err != nil {
		return fmt.Errorf("emoji: export %s: %w", name, err)
	}
	defer obj.Close()
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: obj.Info().Size, ModTime: obj.Info().ModTime}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("emoji: export %s: %w", name, err)
	}
	if _, err := io.Copy(tw, obj); err != nil {
		return fmt.Errorf("emoji: export %s: %w", name, err)
	}
	return nil
}

// Purge deletes every remote emoji record and, unless remoteOnly, every local emoji
// with its image. It returns how many local and remote emoji it deleted.
func (im *Importer) Purge(ctx context.Context, remoteOnly bool) (local, remote int64, err error) {
	remote, err = im.Store.Writer().DeleteRemoteEmojis(ctx)
	if err != nil || remoteOnly {
		im.Catalogue.Invalidate()
		return 0, remote, err
	}
	list, err := im.Store.LocalEmojis(ctx)
	if err != nil {
		return 0, remote, err
	}
	for _, e := range list {
		if err := im.Remove(ctx, e.Shortcode); err != nil {
			return local, remote, err
		}
		local++
	}
	im.Catalogue.Invalidate()
	return local, remote, nil
}
