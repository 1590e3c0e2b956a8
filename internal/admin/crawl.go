package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
)

// peerInfo is what one peer's NodeInfo says, or why it could not be read.
type peerInfo struct {
	Domain           string `json:"domain"`
	Software         string `json:"software,omitempty"`
	Version          string `json:"version,omitempty"`
	Users            *int64 `json:"users,omitempty"`
	ActiveMonth      *int64 `json:"active_month,omitempty"`
	Posts            *int64 `json:"posts,omitempty"`
	OpenRegistration *bool  `json:"open_registrations,omitempty"`
	Error            string `json:"error,omitempty"`
}

// nodeInfoLinks is /.well-known/nodeinfo: links to the schema versions a server offers.
type nodeInfoLinks struct {
	Links []struct {
		Rel  string `json:"rel"`
		Href string `json:"href"`
	} `json:"links"`
}

// nodeInfo is the part of a NodeInfo 2.x document crawl reports.
type nodeInfo struct {
	Software struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"software"`
	OpenRegistrations *bool `json:"openRegistrations"`
	Usage             struct {
		Users struct {
			Total       *int64 `json:"total"`
			ActiveMonth *int64 `json:"activeMonth"`
		} `json:"users"`
		LocalPosts *int64 `json:"localPosts"`
	} `json:"usage"`
}

const nodeInfoSchemaPrefix = "http://nodeinfo.diaspora.software/ns/schema/2."

// crawlDomains reads the NodeInfo of every domain tusk knows accounts on, a few at a
// time, through the guarded outbound client.
func crawlDomains(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	concurrency := fs.Int("concurrency", 8, "how many servers to ask at once (1-64)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	if *concurrency < 1 || *concurrency > 64 {
		return errors.New("--concurrency must be between 1 and 64")
	}
	if d.Client == nil {
		return errors.New("no outbound client")
	}
	domains, err := d.Store.KnownDomains(ctx)
	if err != nil {
		return err
	}
	bar := d.newBar(int64(len(domains)), "crawling")
	peers := crawl(ctx, d, domains, *concurrency, func() { _ = bar.Add(1) })
	_ = bar.Finish()
	if *asJSON {
		return printJSON(d.Out, peers)
	}
	return printPeers(d, peers)
}

// crawl asks every domain with at most limit requests in flight; results keep the
// domains' order.
func crawl(ctx context.Context, d OpsDeps, domains []string, limit int, done func()) []peerInfo {
	out := make([]peerInfo, len(domains))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, domain := range domains {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = readNodeInfo(ctx, d, domain)
			mu.Lock()
			done()
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func readNodeInfo(ctx context.Context, d OpsDeps, domain string) peerInfo {
	p := peerInfo{Domain: domain}
	scheme := d.CrawlScheme
	if scheme == "" {
		scheme = "https"
	}
	var links nodeInfoLinks
	if _, err := d.Client.GetJSON(ctx, scheme+"://"+domain+"/.well-known/nodeinfo", "application/json", &links); err != nil {
		p.Error = err.Error()
		return p
	}
	href := newestNodeInfo(links)
	if href == "" {
		p.Error = "no NodeInfo 2.x link"
		return p
	}
	// The document may live on another host (a server whose web domain differs from its
	// account domain links there); the guarded client still refuses private addresses.
	if u, err := url.Parse(href); err != nil || (u.Scheme != "https" && u.Scheme != scheme) {
		p.Error = fmt.Sprintf("NodeInfo link %q is not a usable URL", href)
		return p
	}
	var ni nodeInfo
	if _, err := d.Client.GetJSON(ctx, href, "application/json", &ni); err != nil {
		p.Error = err.Error()
		return p
	}
	p.Software, p.Version = ni.Software.Name, ni.Software.Version
	p.Users, p.ActiveMonth, p.Posts = ni.Usage.Users.Total, ni.Usage.Users.ActiveMonth, ni.Usage.LocalPosts
	p.OpenRegistration = ni.OpenRegistrations
	return p
}

// newestNodeInfo picks the link to the highest 2.x schema a server offers.
func newestNodeInfo(l nodeInfoLinks) string {
	best, href := "", ""
	for _, link := range l.Links {
		if v, ok := strings.CutPrefix(link.Rel, nodeInfoSchemaPrefix); ok && v > best {
			best, href = v, link.Href
		}
	}
	return href
}

func printPeers(d OpsDeps, peers []peerInfo) error {
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tSOFTWARE\tVERSION\tUSERS\tACTIVE MONTH\tERROR")
	software := map[string]int{}
	var users int64
	for _, p := range peers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Domain, orDash(p.Software), orDash(p.Version), count(p.Users), count(p.ActiveMonth), p.Error)
		if p.Error == "" {
			software[p.Software]++
		}
		if p.Users != nil {
			users += *p.Users
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	names := sortedKeys(software)
	sort.SliceStable(names, func(i, j int) bool { return software[names[i]] > software[names[j]] })
	fmt.Fprintf(d.Out, "\n%d servers, %d answered, %d users in all\n", len(peers), sum(software), users)
	for _, n := range names {
		fmt.Fprintf(d.Out, "  %s: %d\n", orDash(n), software[n])
	}
	return nil
}

func count(n *int64) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
