package mastoapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

func collectionItems(c jsonObj) []jsonObj {
	var out []jsonObj
	for _, it := range c["items"].([]any) {
		out = append(out, it.(jsonObj))
	}
	return out
}

func TestCollectionsLifecycle(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
		created := obj(t, alice.Do(t, "POST", "/api/v1/collections", jsonObj{
			"name": "Nice people", "description": "<b>worth</b> following", "language": "en", "tag_name": "#FediFriends",
			"sensitive": false, "discoverable": true, "account_ids": []string{idOf(bob.Account.ID), idOf(carol.Account.ID)},
		}), 200, "create")["collection"].(jsonObj)
		conforms(t, "Collection", created)
		cid := created["id"].(string)
		if created["name"] != "Nice people" || created["description"] != "&lt;b&gt;worth&lt;/b&gt; following" || created["item_count"] != 2.0 ||
			field(created, "tag", "name") != "FediFriends" || created["local"] != true || created["account_id"] != idOf(alice.Account.ID) ||
			!strings.Contains(created["uri"].(string), "/users/alice/collections/"+cid) || created["url"] != nil {
			t.Errorf("created = %v", created)
		}
		items := collectionItems(created)
		if len(items) != 2 || items[0]["account_id"] != idOf(bob.Account.ID) || items[0]["state"] != "accepted" {
			t.Fatalf("items = %v", items)
		}

		got := obj(t, in.Do(t, "", "GET", "/api/v1/collections/"+cid, nil), 200, "anonymous GET")
		conforms(t, "CollectionWithAccounts", got)
		if accts := got["accounts"].([]any); len(accts) != 3 || accts[0].(jsonObj)["id"] != idOf(alice.Account.ID) {
			t.Errorf("accounts = %v; want the owner and both items", accts)
		}

		item := obj(t, alice.Do(t, "POST", "/api/v1/collections/"+cid+"/items", jsonObj{"account_id": idOf(dave.Account.ID)}), 200, "add")["collection_item"].(jsonObj)
		conforms(t, "CollectionItem", item)
		if item["account_id"] != idOf(dave.Account.ID) || item["state"] != "accepted" {
			t.Errorf("added item = %v", item)
		}
		upd := obj(t, alice.Do(t, "PATCH", "/api/v1/collections/"+cid, jsonObj{"name": "Nicer people", "tag_name": "", "discoverable": false}), 200, "update")["collection"].(jsonObj)
		if upd["name"] != "Nicer people" || upd["tag"] != nil || upd["discoverable"] != false || upd["item_count"] != 3.0 {
			t.Errorf("updated = %v", upd)
		}

		// Carol withdraws: alice still sees the item, revoked; others no longer do.
		carolItem := items[1]["id"].(string)
		obj(t, carol.Do(t, "POST", "/api/v1/collections/"+cid+"/items/"+carolItem+"/revoke", nil), 200, "revoke")
		mine := obj(t, alice.Do(t, "GET", "/api/v1/collections/"+cid, nil), 200, "owner GET")["collection"].(jsonObj)
		theirs := obj(t, bob.Do(t, "GET", "/api/v1/collections/"+cid, nil), 200, "bob GET")["collection"].(jsonObj)
		if mine["item_count"] != 3.0 || theirs["item_count"] != 2.0 {
			t.Errorf("after revoke: owner sees %v items, bob %v; want 3 and 2", mine["item_count"], theirs["item_count"])
		}
		for _, it := range collectionItems(mine) {
			if it["id"] == carolItem && it["state"] != "revoked" {
				t.Errorf("carol's item state = %v; want revoked", it["state"])
			}
		}

		obj(t, alice.Do(t, "DELETE", "/api/v1/collections/"+cid+"/items/"+item["id"].(string), nil), 200, "remove dave")
		after := obj(t, alice.Do(t, "GET", "/api/v1/collections/"+cid, nil), 200, "GET after remove")["collection"].(jsonObj)
		if after["item_count"] != 2.0 {
			t.Errorf("after removing dave: %v items; want 2 (bob, revoked carol)", after["item_count"])
		}
		obj(t, alice.Do(t, "DELETE", "/api/v1/collections/"+cid, nil), 200, "delete")
		want(t, alice.Do(t, "GET", "/api/v1/collections/"+cid, nil), 404, "GET after delete")
	})
}

func TestCollectionLists(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		var ids []string
		for i, name := range []string{"one", "two", "three"} {
			c := obj(t, alice.Do(t, "POST", "/api/v1/collections", jsonObj{"name": name, "discoverable": i != 1,
				"account_ids": []string{idOf(bob.Account.ID)}}), 200, "create "+name)["collection"].(jsonObj)
			ids = append(ids, c["id"].(string))
		}
		path := "/api/v1/accounts/" + idOf(alice.Account.ID) + "/collections"
		names := func(r *servertest.Response) []string {
			want(t, r, 200, "list")
			var body struct {
				Collections []jsonObj `json:"collections"`
			}
			r.JSON(t, &body)
			var out []string
			for _, c := range body.Collections {
				out = append(out, c["name"].(string))
			}
			return out
		}
		sameIDs(t, "owner's list", names(alice.Do(t, "GET", path, nil)), []string{"three", "two", "one"})
		sameIDs(t, "others see discoverable", names(in.Do(t, "", "GET", path, nil)), []string{"three", "one"})
		first := alice.Do(t, "GET", path+"?limit=2", nil)
		sameIDs(t, "first page", names(first), []string{"three", "two"})
		if l := first.Header.Get("Link"); !strings.Contains(l, "offset=2") || !strings.Contains(l, `rel="next"`) {
			t.Errorf("Link = %q; want a next page at offset 2", l)
		}
		sameIDs(t, "second page", names(alice.Do(t, "GET", path+"?limit=2&offset=2", nil)), []string{"one"})
		featuring := "/api/v1/accounts/" + idOf(bob.Account.ID) + "/in_collections"
		sameIDs(t, "in_collections for others", names(bob.Do(t, "GET", featuring, nil)), []string{"three", "one"})
		sameIDs(t, "in_collections for the curator", names(alice.Do(t, "GET", featuring, nil)), []string{"three", "two", "one"})
		want(t, in.Do(t, "", "GET", "/api/v1/accounts/999/collections", nil), 404, "unknown account")
		want(t, in.Do(t, in.Token(t, &bob.User.ID, "write:statuses"), "GET", path, nil), 403, "token without read:collections")
	})
}

func TestCollectionRefusals(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, shy := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "shy")
		obj(t, shy.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"discoverable": false}), 200, "shy hides")
		remote := &model.Account{Username: "far", Domain: "remote.example", URI: "https://remote.example/users/far", Discoverable: true}
		if err := in.Store.Writer().InsertAccount(context.Background(), remote); err != nil {
			t.Fatal(err)
		}
		for name, body := range map[string]jsonObj{
			"no name":          {"description": "x"},
			"long name":        {"name": strings.Repeat("n", 41)},
			"long description": {"name": "x", "description": strings.Repeat("d", 101)},
			"bad language":     {"name": "x", "language": "english!"},
			"bad tag":          {"name": "x", "tag_name": "#no spaces"},
			"bad id":           {"name": "x", "account_ids": []string{"abc"}},
			"unknown account":  {"name": "x", "account_ids": []string{"12345"}},
			"oneself":          {"name": "x", "account_ids": []string{idOf(alice.Account.ID)}},
			"undiscoverable":   {"name": "x", "account_ids": []string{idOf(shy.Account.ID)}},
			"remote":           {"name": "x", "account_ids": []string{idOf(remote.ID)}},
			"not a boolean":    {"name": "x", "sensitive": "perhaps"},
		} {
			errorMessage(t, alice.Do(t, "POST", "/api/v1/collections", body), 422, name)
		}
		if n := len(obj(t, alice.Do(t, "GET", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/collections", nil), 200, "list")["collections"].([]any)); n != 0 {
			t.Errorf("refused creations left %d collections", n)
		}
		c := obj(t, alice.Do(t, "POST", "/api/v1/collections", jsonObj{"name": "mine", "account_ids": []string{idOf(bob.Account.ID)}}), 200, "create")["collection"].(jsonObj)
		cid := c["id"].(string)
		itemID := collectionItems(c)[0]["id"].(string)
		errorMessage(t, alice.Do(t, "POST", "/api/v1/collections/"+cid+"/items", jsonObj{"account_id": idOf(bob.Account.ID)}), 422, "twice")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/collections/"+cid+"/items", jsonObj{}), 422, "no account_id")

		// Another member's collection: visible, but not theirs to change.
		for _, r := range []*servertest.Response{
			bob.Do(t, "PATCH", "/api/v1/collections/"+cid, jsonObj{"name": "taken"}),
			bob.Do(t, "DELETE", "/api/v1/collections/"+cid, nil),
			bob.Do(t, "POST", "/api/v1/collections/"+cid+"/items", jsonObj{"account_id": idOf(shy.Account.ID)}),
			bob.Do(t, "DELETE", "/api/v1/collections/"+cid+"/items/"+itemID, nil),
		} {
			errorMessage(t, r, 403, "change another member's collection")
		}
		want(t, shy.Do(t, "POST", "/api/v1/collections/"+cid+"/items/"+itemID+"/revoke", nil), 404, "revoke someone else's item")
		want(t, alice.Do(t, "DELETE", "/api/v1/collections/"+cid+"/items/1", nil), 404, "remove a missing item")
		want(t, alice.Do(t, "PATCH", "/api/v1/collections/999", jsonObj{"name": "x"}), 404, "missing collection")
		want(t, in.Do(t, "", "POST", "/api/v1/collections", jsonObj{"name": "x"}), 401, "anonymous")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "read"), "POST", "/api/v1/collections", jsonObj{"name": "x"}), 403, "without write:collections")
		if got := obj(t, alice.Do(t, "GET", "/api/v1/collections/"+cid, nil), 200, "unchanged")["collection"].(jsonObj); got["name"] != "mine" || got["item_count"] != 1.0 {
			t.Errorf("refused changes changed the collection: %v", got)
		}
		for i := 0; i < 19; i++ {
			obj(t, alice.Do(t, "POST", "/api/v1/collections", jsonObj{"name": "filler"}), 200, "filler")
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/collections", jsonObj{"name": "one too many"}), 422, "21st collection")
	})
}

func TestCollectionsAndBlocks(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		c := obj(t, alice.Do(t, "POST", "/api/v1/collections", jsonObj{"name": "mine",
			"account_ids": []string{idOf(bob.Account.ID), idOf(carol.Account.ID)}}), 200, "create")["collection"].(jsonObj)
		cid := c["id"].(string)
		obj(t, carol.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/block", nil), 200, "carol blocks bob")
		seen := obj(t, carol.Do(t, "GET", "/api/v1/collections/"+cid, nil), 200, "carol's view")["collection"].(jsonObj)
		if seen["item_count"] != 1.0 || collectionItems(seen)[0]["account_id"] != idOf(carol.Account.ID) {
			t.Errorf("carol sees %v; want only herself, not the account she blocks", seen["items"])
		}
		dave := in.NewMember(t, "dave")
		obj(t, dave.Do(t, "POST", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/block", nil), 200, "dave blocks alice")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/collections/"+cid+"/items", jsonObj{"account_id": idOf(dave.Account.ID)}), 422, "feature a blocker")
	})
}
