package admin

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// rotatedKeyBits is the size of the keys rotate-keys makes, as federation's.
const rotatedKeyBits = 2048

// rotateKeys gives local accounts a new signing key pair under the same key id. Other
// servers holding the old public key fail to verify the next signed request, fetch the
// actor again and get the new key. An account without a key has nothing to rotate: it
// gets one the first time it federates.
func rotateKeys(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	all := fs.Bool("all", false, "rotate the keys of every local account")
	username, err := parseOptionalUsername(fs, args)
	if err != nil {
		return err
	}
	if *all == (username != "") {
		return errors.New("give either USERNAME or --all")
	}
	var targets []*model.Account
	if *all {
		targets, err = allLocalAccounts(ctx, d.Store)
	} else {
		var a *model.Account
		a, err = d.Store.AccountByHandle(ctx, username, "")
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no local account named %q", username)
		}
		targets = []*model.Account{a}
	}
	if err != nil {
		return err
	}
	rotated, skipped := 0, 0
	for _, a := range targets {
		switch err := rotateKey(ctx, d.Store, a.ID); {
		case errors.Is(err, store.ErrNotFound):
			skipped++
		case err != nil:
			return fmt.Errorf("%s: %w", a.Username, err)
		default:
			rotated++
			if err := announceKey(ctx, d, a); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(d.Out, "OK: rotated %d key(s); %d account(s) have no key yet and get one when they first federate.\n", rotated, skipped)
	if rotated > 0 {
		fmt.Fprintln(d.Out, "Running tusk processes sign with the new keys within 5 minutes (they re-read keys they hold longer); followers' servers get an Update with the new public key.")
	}
	return nil
}

// announceKey queues an Update of the actor, so followers' servers learn the new key.
func announceKey(ctx context.Context, d Deps, a *model.Account) error {
	if d.Mover == nil {
		return nil // no federation: nobody else holds the key
	}
	if err := d.Mover.KeyRotated(ctx, a.ID); err != nil {
		return fmt.Errorf("%s: announce the new key: %w", a.Username, err)
	}
	return nil
}

func parseOptionalUsername(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", nil
	}
	username := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return username, nil
}

func allLocalAccounts(ctx context.Context, st *store.Store) ([]*model.Account, error) {
	var out []*model.Account
	for after := int64(0); ; {
		page, err := st.ListLocalAccounts(ctx, after, 200)
		if err != nil || len(page) == 0 {
			return out, err
		}
		out = append(out, page...)
		after = page[len(page)-1].ID
	}
}

func rotateKey(ctx context.Context, st *store.Store, accountID int64) error {
	priv, err := rsa.GenerateKey(rand.Reader, rotatedKeyBits)
	if err != nil {
		return fmt.Errorf("generate key: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return fmt.Errorf("encode public key: %w", err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	privPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)})
	return st.Writer().ReplaceLocalKeys(ctx, accountID, string(pubPEM), string(privPEM))
}
