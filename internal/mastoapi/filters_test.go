package mastoapi_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// newFilter creates a v2 filter as m and returns it.
func newFilter(t *testing.T, m *servertest.Member, body jsonObj) jsonObj {
	t.Helper()
	f := obj(t, m.Do(t, "POST", "/api/v2/filters", body), 200, "create filter")
	conforms(t, "Filter", f)
	return f
}

func keywordsOf(f jsonObj) []string {
	var out []string
	for _, k := range f["keywords"].([]any) {
		out = append(out, k.(map[string]any)["keyword"].(string))
	}
	return out
}

func TestFiltersV2CRUD(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, other := in.NewMember(t, "me"), in.NewMember(t, "other")
		f := newFilter(t, me, jsonObj{"title": "Spoilers", "context": []string{"home", "public", "home"}, "expires_in": 3600,
			"keywords_attributes": []jsonObj{{"keyword": "finale"}, {"keyword": "twist", "whole_word": false}, {"keyword": "gone", "_destroy": true}}})
		fid := f["id"].(string)
		if f["filter_action"] != "warn" || fmt.Sprint(f["context"]) != "[home public]" || f["expires_at"] == nil {
			t.Errorf("new filter = %v; want warn in [home public] with an expiry", f)
		}
		sameIDs(t, "keywords", keywordsOf(f), []string{"finale", "twist"})
		ks := f["keywords"].([]any)
		finale, twist := ks[0].(map[string]any), ks[1].(map[string]any)
		if finale["whole_word"] != true || twist["whole_word"] != false {
			t.Errorf("keywords = %v; whole_word defaults to true", ks)
		}

		f = obj(t, me.Do(t, "PUT", "/api/v2/filters/"+fid, jsonObj{"title": "Shows", "filter_action": "hide", "expires_in": nil,
			"keywords_attributes": []jsonObj{{"id": twist["id"], "_destroy": true}, {"id": finale["id"], "keyword": "season finale"}, {"keyword": "cliffhanger"}}}), 200, "update filter")
		conforms(t, "Filter", f)
		if f["title"] != "Shows" || f["filter_action"] != "hide" || f["expires_at"] != nil {
			t.Errorf("updated filter = %v", f)
		}
		sameIDs(t, "keywords after update", keywordsOf(f), []string{"season finale", "cliffhanger"})
		got := list(t, me.Do(t, "GET", "/api/v2/filters", nil), "filters")
		conformsAll(t, "Filter", got)
		sameIDs(t, "filters", ids(got), []string{fid})

		f = obj(t, me.Form(t, "PUT", "/api/v2/filters/"+fid, "context[]=thread&context[]=account&filter_action=blur"), 200, "update by form")
		if fmt.Sprint(f["context"]) != "[thread account]" || f["filter_action"] != "blur" || f["title"] != "Shows" {
			t.Errorf("form-updated filter = %v", f)
		}
		made := obj(t, me.Form(t, "POST", "/api/v2/filters", "title=Form&context[]=home&keywords_attributes[][keyword]=one&keywords_attributes[][keyword]=two"), 200, "create by form")
		sameIDs(t, "form keywords", keywordsOf(made), []string{"one", "two"})

		for _, c := range []struct {
			method, path string
			body         jsonObj
		}{
			{"GET", "/api/v2/filters/" + fid, nil},
			{"PUT", "/api/v2/filters/" + fid, jsonObj{"title": "x"}},
			{"DELETE", "/api/v2/filters/" + fid, nil},
			{"GET", "/api/v2/filters/" + fid + "/keywords", nil},
			{"POST", "/api/v2/filters/" + fid + "/keywords", jsonObj{"keyword": "x"}},
			{"GET", "/api/v2/filters/" + fid + "/statuses", nil},
			{"GET", "/api/v1/filters/" + idOf(idNumber(finale["id"])), nil},
		} {
			errorMessage(t, other.Do(t, c.method, c.path, c.body), 404, "another's filter: "+c.method+" "+c.path)
		}
		errorMessage(t, me.Do(t, "PUT", "/api/v2/filters/"+made["id"].(string), jsonObj{"keywords_attributes": []jsonObj{{"id": finale["id"], "_destroy": true}}}), 404,
			"destroying another filter's keyword")

		obj(t, me.Do(t, "DELETE", "/api/v2/filters/"+fid, nil), 200, "delete filter")
		want(t, me.Do(t, "GET", "/api/v2/filters/"+fid, nil), 404, "deleted filter")
		want(t, me.Do(t, "GET", "/api/v2/filters/keywords/"+finale["id"].(string), nil), 404, "keyword of a deleted filter")
		want(t, in.Do(t, "", "GET", "/api/v2/filters", nil), 401, "anonymous filters")
	})
}

func idNumber(v any) int64 {
	n, _ := id.Parse(v.(string))
	return n
}

func TestFilterBadInput(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me := in.NewMember(t, "me")
		ok := jsonObj{"title": "t", "context": []string{"home"}}
		with := func(k string, v any) jsonObj {
			out := jsonObj{}
			for key, val := range ok {
				out[key] = val
			}
			out[k] = v
			return out
		}
		for what, body := range map[string]jsonObj{
			"no title":        {"context": []string{"home"}},
			"long title":      with("title", strings.Repeat("t", 257)),
			"no context":      {"title": "t"},
			"empty context":   with("context", []string{}),
			"bad context":     with("context", []string{"home", "everywhere"}),
			"bad action":      with("filter_action", "delete"),
			"bad expiry":      with("expires_in", "soon"),
			"negative expiry": with("expires_in", -5),
			"blank keyword":   with("keywords_attributes", []jsonObj{{"keyword": " "}}),
			"long keyword":    with("keywords_attributes", []jsonObj{{"keyword": strings.Repeat("k", 513)}}),
			"bad whole_word":  with("keywords_attributes", []jsonObj{{"keyword": "k", "whole_word": "perhaps"}}),
		} {
			errorMessage(t, me.Do(t, "POST", "/api/v2/filters", body), 422, what)
		}
		newFilter(t, me, with("title", strings.Repeat("é", 256)))
		errorMessage(t, me.Do(t, "POST", "/api/v2/filters", with("keywords_attributes", []jsonObj{{"id": "1", "keyword": "k"}})), 404, "keyword id on create")
		for what, body := range map[string]jsonObj{
			"v1 without phrase": {"context": []string{"home"}},
			"v1 long phrase":    {"phrase": strings.Repeat("p", 513), "context": []string{"home"}},
			"v1 bad context":    {"phrase": "p", "context": []string{"nowhere"}},
			"v1 no context":     {"phrase": "p"},
			"v1 bad flag":       {"phrase": "p", "context": []string{"home"}, "irreversible": "sometimes"},
		} {
			errorMessage(t, me.Do(t, "POST", "/api/v1/filters", body), 422, what)
		}

		f := newFilter(t, me, ok)
		fid := f["id"].(string)
		errorMessage(t, me.Do(t, "PUT", "/api/v2/filters/"+fid, jsonObj{"title": ""}), 422, "blank title on update")
		errorMessage(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/keywords", jsonObj{}), 422, "keyword missing")
		errorMessage(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/keywords", jsonObj{"keyword": strings.Repeat("k", 513)}), 422, "keyword too long")
		k := obj(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/keywords", jsonObj{"keyword": strings.Repeat("k", 512)}), 200, "longest keyword")
		errorMessage(t, me.Do(t, "PUT", "/api/v2/filters/keywords/"+k["id"].(string), jsonObj{"keyword": strings.Repeat("k", 513)}), 422, "keyword edit too long")
		errorMessage(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/statuses", jsonObj{"status_id": "999999"}), 422, "missing status")
		errorMessage(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/statuses", jsonObj{}), 422, "no status")
	})
}

func TestFilterKeywordsAndStatuses(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, other, author := in.NewMember(t, "me"), in.NewMember(t, "other"), in.NewMember(t, "author")
		empty := newFilter(t, me, jsonObj{"title": "f", "context": []string{"home"}})
		if fmt.Sprint(empty["keywords"], empty["statuses"]) != "[] []" {
			t.Errorf("new filter = %v; want empty keywords and statuses", empty)
		}
		fid := empty["id"].(string)

		k := obj(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/keywords", jsonObj{"keyword": "cats", "whole_word": false}), 200, "add keyword")
		conforms(t, "FilterKeyword", k)
		kid := k["id"].(string)
		ks := list(t, me.Do(t, "GET", "/api/v2/filters/"+fid+"/keywords", nil), "keywords")
		conformsAll(t, "FilterKeyword", ks)
		sameIDs(t, "keywords", ids(ks), []string{kid})
		k = obj(t, me.Do(t, "PUT", "/api/v2/filters/keywords/"+kid, jsonObj{"keyword": "dogs"}), 200, "edit keyword")
		if k["keyword"] != "dogs" || k["whole_word"] != false {
			t.Errorf("edited keyword = %v; want dogs, whole_word kept false", k)
		}
		if got := obj(t, me.Do(t, "GET", "/api/v2/filters/keywords/"+kid, nil), 200, "get keyword"); got["keyword"] != "dogs" {
			t.Errorf("keyword = %v", got)
		}
		for _, method := range []string{"GET", "PUT", "DELETE"} {
			errorMessage(t, other.Do(t, method, "/api/v2/filters/keywords/"+kid, jsonObj{"keyword": "x"}), 404, "another's keyword "+method)
		}
		obj(t, me.Do(t, "DELETE", "/api/v2/filters/keywords/"+kid, nil), 200, "delete keyword")
		want(t, me.Do(t, "GET", "/api/v2/filters/keywords/"+kid, nil), 404, "deleted keyword")

		st := say(t, author, "a status")
		private := post(t, author, jsonObj{"status": "hidden from me", "visibility": "private"})["id"].(string)
		s := obj(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/statuses", jsonObj{"status_id": st}), 200, "add status")
		conforms(t, "FilterStatus", s)
		if s["status_id"] != st {
			t.Errorf("filter status = %v; want status_id %s", s, st)
		}
		sid := s["id"].(string)
		errorMessage(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/statuses", jsonObj{"status_id": st}), 422, "same status twice")
		errorMessage(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/statuses", jsonObj{"status_id": private}), 422, "status I cannot see")
		sameIDs(t, "statuses", idsAt(t, me, "/api/v2/filters/"+fid+"/statuses"), []string{sid})
		if got := obj(t, me.Do(t, "GET", "/api/v2/filters/statuses/"+sid, nil), 200, "get status"); got["status_id"] != st {
			t.Errorf("filter status = %v", got)
		}
		for _, method := range []string{"GET", "DELETE"} {
			errorMessage(t, other.Do(t, method, "/api/v2/filters/statuses/"+sid, nil), 404, "another's filter status "+method)
		}
		f := obj(t, me.Do(t, "GET", "/api/v2/filters/"+fid, nil), 200, "filter")
		if len(f["statuses"].([]any)) != 1 {
			t.Errorf("filter statuses = %v; want one", f["statuses"])
		}
		obj(t, me.Do(t, "DELETE", "/api/v2/filters/statuses/"+sid, nil), 200, "delete status")
		sameIDs(t, "statuses after delete", idsAt(t, me, "/api/v2/filters/"+fid+"/statuses"), []string{})
		want(t, me.Do(t, "GET", "/api/v2/filters/"+fid+"/nonsense", nil), 404, "unknown part")
	})
}

func TestFiltersV1(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me := in.NewMember(t, "me")
		v1 := obj(t, me.Form(t, "POST", "/api/v1/filters", "phrase=spiders&context[]=home&context[]=notifications&irreversible=true&expires_in=600"), 200, "create v1")
		conforms(t, "V1Filter", v1)
		if v1["phrase"] != "spiders" || v1["irreversible"] != true || v1["whole_word"] != false || v1["expires_at"] == nil {
			t.Errorf("v1 filter = %v", v1)
		}
		v1id := v1["id"].(string)
		v2 := list(t, me.Do(t, "GET", "/api/v2/filters", nil), "v2 view")
		if len(v2) != 1 || v2[0]["title"] != "spiders" || v2[0]["filter_action"] != "hide" || fmt.Sprint(keywordsOf(v2[0])) != "[spiders]" {
			t.Fatalf("v2 view of a v1 filter = %v", v2)
		}
		fid := v2[0]["id"].(string)

		v1 = obj(t, me.Do(t, "PUT", "/api/v1/filters/"+v1id, jsonObj{"phrase": "snakes", "context": []string{"public"}, "whole_word": true, "irreversible": false}), 200, "update v1")
		if v1["phrase"] != "snakes" || fmt.Sprint(v1["context"]) != "[public]" || v1["whole_word"] != true || v1["irreversible"] != false {
			t.Errorf("updated v1 filter = %v", v1)
		}
		obj(t, me.Do(t, "POST", "/api/v2/filters/"+fid+"/keywords", jsonObj{"keyword": "bats"}), 200, "second keyword")
		all := list(t, me.Do(t, "GET", "/api/v1/filters", nil), "v1 filters")
		conformsAll(t, "V1Filter", all)
		if len(all) != 2 || all[0]["phrase"] != "snakes" || all[1]["phrase"] != "bats" {
			t.Errorf("v1 filters = %v; want one per keyword", all)
		}
		errorMessage(t, me.Do(t, "PUT", "/api/v1/filters/"+v1id, jsonObj{"phrase": "snakes", "context": []string{"home"}}), 422, "context change with two keywords")
		obj(t, me.Do(t, "PUT", "/api/v1/filters/"+v1id, jsonObj{"phrase": "vipers", "context": []string{"public"}}), 200, "phrase change with two keywords")
		if got := obj(t, me.Do(t, "GET", "/api/v1/filters/"+v1id, nil), 200, "get v1"); got["phrase"] != "vipers" {
			t.Errorf("v1 filter = %v", got)
		}

		obj(t, me.Do(t, "DELETE", "/api/v1/filters/"+v1id, nil), 200, "delete v1")
		want(t, me.Do(t, "GET", "/api/v1/filters/"+v1id, nil), 404, "deleted v1")
		f := obj(t, me.Do(t, "GET", "/api/v2/filters/"+fid, nil), 200, "filter stays")
		sameIDs(t, "keywords after v1 delete", keywordsOf(f), []string{"bats"})
	})
}

// filteredBy returns the ids of the filters in a status entity's filtered field.
func filteredBy(s map[string]any) []string {
	var out []string
	for _, r := range s["filtered"].([]any) {
		out = append(out, field(r, "filter", "id").(string))
	}
	return out
}

func statusWithID(l jsonList, statusID string) map[string]any {
	for _, s := range l {
		if s["id"] == statusID {
			return s
		}
	}
	return nil
}

func TestFilteredField(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, friend := in.NewMember(t, "me"), in.NewMember(t, "friend")
		follow(t, me, friend)
		warn := newFilter(t, me, jsonObj{"title": "w", "context": []string{"home", "public", "thread", "account"},
			"keywords_attributes": []jsonObj{{"keyword": "Cat", "whole_word": true}, {"keyword": "dog", "whole_word": false}}})["id"].(string)
		newFilter(t, me, jsonObj{"title": "h", "context": []string{"home"}, "filter_action": "hide",
			"keywords_attributes": []jsonObj{{"keyword": "spoiler"}}})

		cat := say(t, friend, "My CAT sleeps")
		catalog := say(t, friend, "a catalog of things")
		hotdog := say(t, friend, "hotdogs!")
		cw := post(t, friend, jsonObj{"status": "nothing here", "spoiler_text": "SPOILER inside"})["id"].(string)
		plain := say(t, friend, "plain words")
		boost := obj(t, friend.Do(t, "POST", "/api/v1/statuses/"+cat+"/reblog", nil), 200, "boost")["id"].(string)
		mine := say(t, me, "my cat too")
		byStatus := newFilter(t, me, jsonObj{"title": "s", "context": []string{"public"}})["id"].(string)
		obj(t, me.Do(t, "POST", "/api/v2/filters/"+byStatus+"/statuses", jsonObj{"status_id": plain}), 200, "filter a status")

		home := list(t, me.Do(t, "GET", "/api/v1/timelines/home", nil), "home")
		conformsAll(t, "Status", home)
		sameIDs(t, "home (hide filter drops the content warning match)", ids(home), []string{mine, boost, plain, hotdog, catalog, cat})
		for statusID, filters := range map[string][]string{cat: {warn}, catalog: nil, hotdog: {warn}, plain: nil, mine: nil, boost: {warn}} {
			s := statusWithID(home, statusID)
			if got := filteredBy(s); !slices.Equal(got, filters) {
				t.Errorf("home %s (%v) filtered by %v; want %v", statusID, s["content"], got, filters)
			}
		}
		r := statusWithID(home, cat)["filtered"].([]any)[0].(map[string]any)
		conforms(t, "FilterResult", r)
		if fmt.Sprint(r["keyword_matches"]) != "[Cat]" || r["status_matches"] != nil || field(r, "filter", "keywords") != nil {
			t.Errorf("filter result = %v; want keyword_matches [Cat], no status_matches, no keywords", r)
		}
		if got := filteredBy(statusWithID(home, boost)["reblog"].(map[string]any)); !slices.Equal(got, []string{warn}) {
			t.Errorf("boosted original filtered by %v; want the warn filter", got)
		}

		public := list(t, me.Do(t, "GET", "/api/v1/timelines/public", nil), "public")
		if !slices.Contains(ids(public), cw) {
			t.Errorf("public = %v; the home-only hide filter must not drop %s", ids(public), cw)
		}
		if got := filteredBy(statusWithID(public, plain)); !slices.Equal(got, []string{byStatus}) {
			t.Errorf("public plain filtered by %v; want the status filter", got)
		}
		sm := statusWithID(public, plain)["filtered"].([]any)[0].(map[string]any)
		if fmt.Sprint(sm["status_matches"]) != "["+plain+"]" {
			t.Errorf("status filter result = %v", sm)
		}
		tag := list(t, in.Do(t, "", "GET", "/api/v1/timelines/public", nil), "anonymous public")
		if _, has := tag[0]["filtered"]; has {
			t.Errorf("anonymous status has filtered: %v", tag[0])
		}
		acct := list(t, me.Do(t, "GET", "/api/v1/accounts/"+idOf(friend.Account.ID)+"/statuses", nil), "account statuses")
		if got := filteredBy(statusWithID(acct, hotdog)); !slices.Equal(got, []string{warn}) {
			t.Errorf("account statuses hotdog filtered by %v", got)
		}
		reply := post(t, friend, jsonObj{"status": "dog days", "in_reply_to_id": plain})["id"].(string)
		ctx := obj(t, me.Do(t, "GET", "/api/v1/statuses/"+plain+"/context", nil), 200, "context")
		if d := ctx["descendants"].([]any); len(d) != 1 || !slices.Equal(filteredBy(d[0].(map[string]any)), []string{warn}) {
			t.Errorf("thread descendants = %v; want %s filtered by the warn filter", d, reply)
		}
	})
}

func TestFilterContextsAndExpiry(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, friend := in.NewMember(t, "me"), in.NewMember(t, "friend")
		follow(t, me, friend)
		l := newList(t, me, jsonObj{"title": "L"})
		addListMembers(t, me, l, friend)
		hideHome := newFilter(t, me, jsonObj{"title": "h", "context": []string{"home"}, "filter_action": "hide",
			"keywords_attributes": []jsonObj{{"keyword": "election"}}})["id"].(string)
		hideNotes := newFilter(t, me, jsonObj{"title": "n", "context": []string{"notifications"}, "filter_action": "hide",
			"keywords_attributes": []jsonObj{{"keyword": "giveaway"}}})["id"].(string)
		election := say(t, friend, "Election news")
		giveaway := say(t, friend, "@me big giveaway")
		mention := say(t, friend, "@me hello")

		sameIDs(t, "list timeline (home context)", idsAt(t, me, "/api/v1/timelines/list/"+l), []string{mention, giveaway})
		notes := list(t, me.Do(t, "GET", "/api/v1/notifications", nil), "notifications")
		var noted []string
		for _, n := range notes {
			if s, ok := n["status"].(map[string]any); ok {
				noted = append(noted, s["id"].(string))
			}
		}
		sameIDs(t, "notified statuses (the notifications hide filter drops one)", noted, []string{mention})

		// Expire the home filter: it stops applying but stays listed.
		ctx := context.Background()
		f, err := in.Store.OwnedFilter(ctx, me.Account.ID, idNumber(hideHome))
		if err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-time.Minute)
		f.ExpiresAt = &past
		if err := in.Store.Writer().UpdateFilter(ctx, f); err != nil {
			t.Fatal(err)
		}
		sameIDs(t, "home after expiry", idsAt(t, me, "/api/v1/timelines/home"), []string{mention, giveaway, election})
		sameIDs(t, "filters after expiry", idsAt(t, me, "/api/v2/filters"), []string{hideHome, hideNotes})
	})
}
