package federation

import (
	"context"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestKeysAreMadeOnceAndKept(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		urls := URLs{Base: "https://example.test", Domain: "example.test"}
		alice := &model.Account{Username: "alice", URI: urls.Actor("alice")}
		if err := st.Writer().InsertAccount(ctx, alice); err != nil {
			t.Fatal(err)
		}
		first, err := NewKeys(st, urls).Account(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		if first.ID != "https://example.test/users/alice#main-key" || first.Private.N.BitLen() != KeyBits {
			t.Fatalf("key id %q, %d bits", first.ID, first.Private.N.BitLen())
		}
		// A second process (a fresh Keys) reads the same key rather than making another.
		again, err := NewKeys(st, urls).Account(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Private.Equal(first.Private) || again.PublicPEM != first.PublicPEM {
			t.Fatal("the key changed between reads")
		}
		owner, actor, err := st.Q.AccountByKeyID(ctx, first.ID)
		if err != nil || owner.ID != alice.ID || actor.PublicKeyPEM != first.PublicPEM {
			t.Fatalf("by key id: %v %v", owner, err)
		}

		inst, err := NewKeys(st, urls).Instance(ctx)
		if err != nil {
			t.Fatal(err)
		}
		inst2, err := NewKeys(st, urls).Instance(ctx)
		if err != nil || !inst2.Private.Equal(inst.Private) || inst.ID != urls.InstanceKeyID() {
			t.Fatalf("instance key not kept: %v", err)
		}
		remote := &model.Account{Username: "bob", Domain: "remote.test", URI: "https://remote.test/users/bob"}
		if err := st.Writer().InsertAccount(ctx, remote); err != nil {
			t.Fatal(err)
		}
		if _, err := NewKeys(st, urls).Account(ctx, remote); err == nil {
			t.Fatal("a remote account got a local key")
		}
	})
}

// TestKeysRereadAfterTTL: a key replaced in the database by another process (rotate-keys)
// is signed with once the cached copy is older than keyCacheTTL.
func TestKeysRereadAfterTTL(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		urls := URLs{Base: "https://example.test", Domain: "example.test"}
		alice := &model.Account{Username: "alice", URI: urls.Actor("alice")}
		if err := st.Writer().InsertAccount(ctx, alice); err != nil {
			t.Fatal(err)
		}
		keys := NewKeys(st, urls)
		clock := time.Now()
		keys.now = func() time.Time { return clock }
		old, err := keys.Account(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		priv, pub, err := newKeyPEM()
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Writer().ReplaceLocalKeys(ctx, alice.ID, pub, priv); err != nil {
			t.Fatal(err)
		}
		if k, _ := keys.Account(ctx, alice); k.PublicPEM != old.PublicPEM {
			t.Fatal("key re-read before the TTL passed")
		}
		clock = clock.Add(keyCacheTTL + time.Second)
		k, err := keys.Account(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		if k.PublicPEM != pub {
			t.Fatalf("after the TTL the key is still the old one")
		}
	})
}
