package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

// Visibilities of seeded statuses, by share: mostly public, as on real instances.
const (
	visPublic uint8 = iota
	visUnlisted
	visPrivate
)

// seedSpan is how far back seeded statuses go.
const seedSpan = 30 * 24 * time.Hour

// plan is the whole seeded instance, generated in memory before it is written, so
// every counter is known exactly.
type plan struct {
	base      string
	accounts  []*model.Account
	users     []*model.User
	following [][]int32 // following[i]: indexes of the accounts i follows
	followers [][]int32 // followers[i]: indexes of the accounts following i
	followIDs []int64   // followIDs[i*F+j] is the id of following[i][j]
	statusIDs []int64   // in chronological (and id) order
	author    []int32   // author[k] wrote statusIDs[k]
	vis       []uint8
}

// newPlan generates sizes' instance. Ids come from gen in chronological order —
// accounts, then follows, then statuses — so they sort as their timestamps do.
func newPlan(gen *id.Generator, base string, s Sizes, seed uint64, now time.Time) *plan {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p := &plan{base: base}
	start := now.Add(-seedSpan)
	p.makeAccounts(gen, s.Accounts, start.Add(-10*24*time.Hour))
	p.makeFollows(gen, rng, s.Follows, start.Add(-5*24*time.Hour))
	p.makeStatuses(gen, rng, s.Statuses, start, now.Add(-time.Minute))
	return p
}

func (p *plan) makeAccounts(gen *id.Generator, n int, at time.Time) {
	p.accounts = make([]*model.Account, n)
	p.users = make([]*model.User, n)
	for i := range n {
		t := at.Add(time.Duration(i) * time.Second).UTC()
		name := fmt.Sprintf("bench%06d", i)
		a := &model.Account{ID: gen.At(t), Username: name, URI: p.base + "/users/" + name, URL: p.base + "/@" + name,
			Discoverable: true, CreatedAt: t, UpdatedAt: t}
		confirmed := t
		u := &model.User{ID: gen.At(t), AccountID: a.ID, Email: name + "@bench.invalid", ConfirmedAt: &confirmed,
			Approved: true, DefaultVisibility: model.Public, CreatedAt: t}
		p.accounts[i], p.users[i] = a, u
	}
}

// makeFollows has every account follow f distinct others, chosen uniformly.
func (p *plan) makeFollows(gen *id.Generator, rng *rand.Rand, f int, at time.Time) {
	n := len(p.accounts)
	p.following = make([][]int32, n)
	p.followers = make([][]int32, n)
	p.followIDs = make([]int64, 0, n*f)
	t := at
	for i := range n {
		p.following[i] = pickDistinct(rng, n, f, i)
		for _, target := range p.following[i] {
			p.followers[target] = append(p.followers[target], int32(i))
			p.followIDs = append(p.followIDs, gen.At(t))
			t = t.Add(100 * time.Microsecond)
		}
		p.accounts[i].FollowingCount = int64(f)
	}
	for i, a := range p.accounts {
		a.FollowersCount = int64(len(p.followers[i]))
	}
}

// pickDistinct returns k distinct indexes below n, none equal to self, in ascending order.
func pickDistinct(rng *rand.Rand, n, k, self int) []int32 {
	seen := make(map[int32]bool, k)
	out := make([]int32, 0, k)
	for len(out) < k {
		c := int32(rng.IntN(n))
		if int(c) == self || seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// makeStatuses spreads n statuses by random authors uniformly over [from, to).
func (p *plan) makeStatuses(gen *id.Generator, rng *rand.Rand, n int, from, to time.Time) {
	times := make([]int64, n)
	span := to.UnixMilli() - from.UnixMilli()
	for k := range times {
		times[k] = from.UnixMilli() + rng.Int64N(span)
	}
	slices.Sort(times)
	p.statusIDs = make([]int64, n)
	p.author = make([]int32, n)
	p.vis = make([]uint8, n)
	for k, ms := range times {
		p.statusIDs[k] = gen.At(time.UnixMilli(ms))
		a := int32(rng.IntN(len(p.accounts)))
		p.author[k] = a
		p.vis[k] = pickVisibility(rng)
		acct := p.accounts[a]
		acct.StatusesCount++
		created := id.Time(p.statusIDs[k])
		acct.LastStatusAt = &created
	}
}

// pickVisibility: 85 % public, 10 % unlisted, 5 % followers-only.
func pickVisibility(rng *rand.Rand) uint8 {
	switch r := rng.IntN(100); {
	case r < 85:
		return visPublic
	case r < 95:
		return visUnlisted
	}
	return visPrivate
}

func visibilityOf(v uint8) model.Visibility {
	return [...]model.Visibility{model.Public, model.Unlisted, model.Private}[v]
}
