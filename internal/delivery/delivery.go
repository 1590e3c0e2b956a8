// Package delivery posts activities to other servers' inboxes so that dead servers cannot
// clog it. Deliveries wait in their own table, one row per (activity, inbox), grouped by
// destination host; a dispatcher takes hosts in turn (a host with 10,000 waiting gets no
// more turns than one with 10), caps the attempts in flight per host, and skips hosts
// whose circuit breaker is open without occupying a worker or burning an attempt. Each
// host's health (breaker, failures, latency, the unavailable mark) is kept in the
// database, shared by every worker process, and shown to admins.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// Delivery is one activity to post to one inbox.
type Delivery struct {
	ActivityID      string // the activity's id; with Inbox, what makes a delivery unique
	Inbox           string // absolute http(s) URL
	Body            []byte // the exact JSON to post
	SignerAccountID int64  // the local account whose key signs the request (0: the instance actor)
}

// ErrBadDelivery rejects a delivery that could never be sent.
var ErrBadDelivery = errors.New("delivery: invalid delivery")

// Queued says what Enqueue did with a batch.
type Queued struct {
	Queued    int // new rows
	Duplicate int // already queued for the same (activity, inbox)
	Skipped   int // host marked unavailable: recorded on the host, not queued
}

// Enqueue queues deliveries in q's transaction, so that they exist exactly when the
// action that caused them commits. Deliveries to hosts marked unavailable are counted
// as skipped on the host and not queued.
func Enqueue(ctx context.Context, q store.Q, ds ...Delivery) (Queued, error) {
	var res Queued
	byHost := map[string][]Delivery{}
	var hosts []string
	for _, d := range ds {
		host, err := checkDelivery(d)
		if err != nil {
			return res, err
		}
		if _, seen := byHost[host]; !seen {
			hosts = append(hosts, host)
		}
		byHost[host] = append(byHost[host], d)
	}
	if err := q.EnsureDeliveryHosts(ctx, hosts); err != nil {
		return res, err
	}
	unavailable, err := q.UnavailableDeliveryHosts(ctx, hosts)
	if err != nil {
		return res, err
	}
	now := time.Now()
	for _, host := range hosts {
		if unavailable[host] {
			res.Skipped += len(byHost[host])
			if err := q.AddDeliverySkipped(ctx, host, len(byHost[host])); err != nil {
				return res, err
			}
			continue
		}
		for _, d := range byHost[host] {
			row := &store.QueuedDelivery{Host: host, ActivityID: d.ActivityID, Inbox: d.Inbox, Body: d.Body,
				SignerAccountID: d.SignerAccountID, NextAt: now, CreatedAt: now}
			added, err := q.InsertDelivery(ctx, row)
			if err != nil {
				return res, err
			}
			if added {
				res.Queued++
			} else {
				res.Duplicate++
			}
		}
	}
	return res, nil
}

func checkDelivery(d Delivery) (string, error) {
	if strings.TrimSpace(d.ActivityID) == "" {
		return "", fmt.Errorf("%w: no activity id", ErrBadDelivery)
	}
	if len(d.Body) == 0 {
		return "", fmt.Errorf("%w: empty body for %s", ErrBadDelivery, d.Inbox)
	}
	return HostOf(d.Inbox)
}

// HostOf returns the host deliveries to rawURL are grouped by: its authority in lower
// case, with the port unless it is the scheme's default.
func HostOf(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return "", fmt.Errorf("%w: inbox %q is not an absolute http(s) URL", ErrBadDelivery, rawURL)
	}
	return NormalizeHost(u.Scheme, u.Host)
}

// NormalizeHost lower-cases an authority and drops the scheme's default port; scheme
// "" keeps any port. It refuses what is not a host name or address with an optional port.
func NormalizeHost(scheme, authority string) (string, error) {
	u, err := url.Parse("//" + strings.ToLower(strings.TrimSpace(authority)))
	if err != nil || u.Hostname() == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: %q is not a host", ErrBadDelivery, authority)
	}
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		return hostOnly(u.Hostname()), nil
	}
	if port == "" {
		return hostOnly(u.Hostname()), nil
	}
	return u.Host, nil
}

func hostOnly(name string) string {
	if strings.Contains(name, ":") {
		return "[" + name + "]" // IPv6
	}
	return name
}
