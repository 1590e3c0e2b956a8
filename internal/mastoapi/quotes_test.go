package mastoapi_test

import (
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestQuoteStatus(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		original := post(t, alice, jsonObj{"status": "quotable"})
		id := original["id"].(string)
		if field(original, "quote_approval", "current_user") != "automatic" || original["quote"] != nil {
			t.Errorf("own status quote_approval, quote = %v, %v", original["quote_approval"], original["quote"])
		}
		if got := field(getStatus(t, bob, id), "quote_approval"); field(got, "current_user") != "automatic" || len(field(got, "automatic").([]any)) != 1 {
			t.Errorf("bob's quote_approval = %v; want automatic for public", got)
		}

		quoting := post(t, bob, jsonObj{"status": "look at this", "quoted_status_id": id})
		conforms(t, "Status", quoting)
		if field(quoting, "quote", "state") != "accepted" || field(quoting, "quote", "quoted_status", "id") != id {
			t.Fatalf("quote = %v; want accepted with alice's status", quoting["quote"])
		}
		qid := quoting["id"].(string)
		if got := getStatus(t, carol, id)["quotes_count"]; got != 1.0 {
			t.Errorf("quotes_count = %v; want 1", got)
		}
		if !hasType(notificationTypesOf(t, alice, qid), "quote") {
			t.Errorf("alice was not told of the quote")
		}
		// A quote of a quote shows the inner quote by id only.
		nested := post(t, carol, jsonObj{"status": "meta", "quoted_status_id": qid})
		if field(nested, "quote", "quoted_status", "quote", "quoted_status_id") != id {
			t.Errorf("nested quote = %v; want a shallow quote of %s", field(nested, "quote", "quoted_status", "quote"), id)
		}
		sameIDs(t, "quotes", idsAt(t, carol, "/api/v1/statuses/"+id+"/quotes"), []string{qid})

		obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "quotable, edited"}), 200, "edit the quoted status")
		if !hasType(notificationTypesOf(t, bob, qid), "quoted_update") {
			t.Errorf("bob was not told that the status he quoted changed")
		}

		errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses/"+id+"/quotes/"+qid+"/revoke", nil), 404, "revoke as a stranger")
		revoked := obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+id+"/quotes/"+qid+"/revoke", nil), 200, "revoke")
		if revoked["id"] != qid || field(revoked, "quote", "state") != "revoked" || field(revoked, "quote", "quoted_status") != nil {
			t.Errorf("revoked = %v; want bob's status with a revoked quote", revoked["quote"])
		}
		if got := getStatus(t, carol, id)["quotes_count"]; got != 0.0 {
			t.Errorf("quotes_count after revoking = %v; want 0", got)
		}
		sameIDs(t, "quotes after revoking", idsAt(t, carol, "/api/v1/statuses/"+id+"/quotes"), nil)
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses/"+id+"/quotes/"+idOf(alice.Account.ID)+"/revoke", nil), 404, "revoke a quote that is not")
	})
}

func TestQuotePolicies(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		follow(t, bob, alice)
		followersOnly := post(t, alice, jsonObj{"status": "followers may quote", "quote_approval_policy": "followers"})
		fid := followersOnly["id"].(string)
		if got := field(followersOnly, "quote_approval", "automatic").([]any); len(got) != 1 || got[0] != "followers" {
			t.Errorf("automatic = %v; want [followers]", got)
		}
		if field(getStatus(t, carol, fid), "quote_approval", "current_user") != "denied" || field(getStatus(t, bob, fid), "quote_approval", "current_user") != "automatic" {
			t.Errorf("current_user for carol and bob = %v, %v", field(getStatus(t, carol, fid), "quote_approval"), field(getStatus(t, bob, fid), "quote_approval"))
		}
		post(t, bob, jsonObj{"status": "follower quoting", "quoted_status_id": fid})
		msg := errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "stranger quoting", "quoted_status_id": fid}), 404, "quote denied")
		if msg != "The post you are trying to quote does not appear to exist." {
			t.Errorf("denied quote = %q", msg)
		}

		obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+fid+"/interaction_policy", jsonObj{"quote_approval_policy": "nobody"}), 200, "nobody may quote")
		errorMessage(t, bob.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "again", "quoted_status_id": fid}), 404, "quote after nobody")
		opened := obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+fid+"/interaction_policy", jsonObj{"quote_approval_policy": "public"}), 200, "anyone may quote")
		if got := field(opened, "quote_approval", "automatic").([]any); len(got) != 1 || got[0] != "public" {
			t.Errorf("after opening automatic = %v", got)
		}
		post(t, carol, jsonObj{"status": "now I may", "quoted_status_id": fid})
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/statuses/"+fid+"/interaction_policy", jsonObj{"quote_approval_policy": "everyone"}), 422, "bad policy")
		errorMessage(t, bob.Do(t, "PUT", "/api/v1/statuses/"+fid+"/interaction_policy", jsonObj{"quote_approval_policy": "public"}), 404, "another's policy")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "x", "quote_approval_policy": "everyone"}), 422, "bad policy on create")

		// Private statuses: only their author may quote them, and the quote stays private.
		private := post(t, alice, jsonObj{"status": "between us", "visibility": "private"})["id"].(string)
		errorMessage(t, bob.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "leak", "quoted_status_id": private}), 404, "quote another's private status")
		self := post(t, alice, jsonObj{"status": "quoting myself", "quoted_status_id": private})
		if self["visibility"] != "private" || field(self, "quote", "state") != "accepted" {
			t.Errorf("self-quote of a private status = %v, %v; want private, accepted", self["visibility"], self["quote"])
		}
		if field(getStatus(t, bob, self["id"].(string)), "quote", "quoted_status", "id") != private {
			t.Errorf("bob, a follower, does not see the quoted private status")
		}
		dm := post(t, alice, jsonObj{"status": "@bob direct", "visibility": "direct"})["id"].(string)
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "x", "quoted_status_id": dm}), 404, "quote a direct message")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "x", "quoted_status_id": "4242"}), 404, "quote a missing status")
		want(t, in.Do(t, "", "GET", "/api/v1/statuses/"+fid+"/quotes", nil), 401, "anonymous quotes list")
	})
}

func TestQuoteOfInvisibleStatus(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, carol := in.NewMember(t, "alice"), in.NewMember(t, "carol")
		private := post(t, alice, jsonObj{"status": "followers only", "visibility": "private"})["id"].(string)
		// Carol, mentioned, sees the direct message but not the private status it quotes.
		quote := post(t, alice, jsonObj{"status": "@carol see my earlier post", "quoted_status_id": private, "visibility": "direct"})
		qid := quote["id"].(string)
		seen := getStatus(t, carol, qid)
		if field(seen, "quote", "state") != "unauthorized" || field(seen, "quote", "quoted_status") != nil {
			t.Errorf("carol sees quote %v; want unauthorized without the status", seen["quote"])
		}
		obj(t, alice.Do(t, "DELETE", "/api/v1/statuses/"+private, nil), 200, "delete the quoted status")
		if got := field(getStatus(t, alice, qid), "quote", "state"); got != "deleted" {
			t.Errorf("quote of a deleted status = %v; want deleted", got)
		}
	})
}
