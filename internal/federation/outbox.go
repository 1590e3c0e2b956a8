package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// Federate turns a local action into activities and queues their deliveries in the
// action's transaction (social.Federator). Actions of remote accounts, and actions that
// concern no remote server, queue nothing.
func (s *Service) Federate(ctx context.Context, q store.Q, e social.FedEvent) error {
	switch e := e.(type) {
	case social.StatusPosted:
		return s.federateStatus(ctx, q, e.Status, false)
	case social.StatusEdited:
		return s.federateStatus(ctx, q, e.Status, true)
	case social.StatusDeleted:
		return s.federateDelete(ctx, q, e.Status)
	case social.Reblogged:
		return s.federateAnnounce(ctx, q, e.Boost)
	case social.Favourited:
		return s.federateLike(ctx, q, e)
	case social.FollowRequested:
		return s.federateFollow(ctx, q, e.Follow)
	case social.Unfollowed:
		return s.federateUnfollow(ctx, q, e.Follow)
	case social.FollowAnswered:
		return s.federateFollowAnswer(ctx, q, e.Follow, e.Accepted)
	case social.Blocked:
		return s.federateBlock(ctx, q, e)
	case social.ProfileUpdated:
		return s.federateProfile(ctx, q, e.AccountID)
	case social.Pinned:
		return s.federatePin(ctx, q, e)
	case social.ReportFiled:
		return s.federateReport(ctx, q, e.Report)
	case social.Voted:
		return s.federateVote(ctx, q, e)
	case social.AccountMoved:
		return s.federateMove(ctx, q, e)
	}
	return fmt.Errorf("federation: unknown event %T", e)
}

// audience is the set of inboxes one activity goes to: inbox URL → the domain of the
// account it was found through (for domain blocks). A URL appears once, however many
// recipients share it.
type audience map[string]string

func (a audience) add(list []store.Inbox) {
	for _, in := range list {
		a[in.URL] = in.Domain
	}
}

// addAccounts adds the inboxes of the remote accounts among ids.
func (a audience) addAccounts(ctx context.Context, q store.Q, ids ...int64) error {
	list, err := q.RemoteInboxesOf(ctx, ids)
	a.add(list)
	return err
}

// addFollowers adds the inboxes of the remote followers of a local account.
func (a audience) addFollowers(ctx context.Context, q store.Q, accountID int64) error {
	list, err := q.RemoteFollowerInboxes(ctx, accountID)
	a.add(list)
	return err
}

// statusAudience is who a status is delivered to, by its visibility: mentioned
// accounts always; followers unless direct; for public and unlisted statuses also the
// author replied to. Once sent (edits, deletion), also those who boosted it.
func (s *Service) statusAudience(ctx context.Context, q store.Q, st *model.Status, sent bool) (audience, error) {
	aud := audience{}
	mentioned, err := q.MentionedIDs(ctx, []int64{st.ID})
	if err != nil {
		return nil, err
	}
	if err := aud.addAccounts(ctx, q, mentioned[st.ID]...); err != nil {
		return nil, err
	}
	if st.Visibility == model.Direct {
		return aud, nil
	}
	if err := aud.addFollowers(ctx, q, st.AccountID); err != nil {
		return nil, err
	}
	if st.Visibility == model.Private {
		return aud, nil
	}
	if st.InReplyToAccountID != nil {
		if err := aud.addAccounts(ctx, q, *st.InReplyToAccountID); err != nil {
			return nil, err
		}
	}
	if sent {
		list, err := q.RemoteRebloggerInboxes(ctx, st.ID)
		if err != nil {
			return nil, err
		}
		aud.add(list)
	}
	return aud, nil
}

// outgoing is an activity as send takes it: anything rendered with an id.
type outgoing interface{ activityID() string }

func (a *Activity) activityID() string { return a.ID }
func (f *Flag) activityID() string     { return f.ID }

// send serializes activity once and queues one delivery per inbox of aud in q's
// transaction, leaving out inboxes on suspended domains. signerID 0 signs as the
// instance actor.
func (s *Service) send(ctx context.Context, q store.Q, signerID int64, activity outgoing, aud audience) error {
	inboxes, err := s.deliverable(ctx, q, aud)
	if err != nil || len(inboxes) == 0 {
		return err
	}
	body, err := json.Marshal(activity)
	if err != nil {
		return fmt.Errorf("federation: encode activity: %w", err)
	}
	ds := make([]delivery.Delivery, len(inboxes))
	for i, inbox := range inboxes {
		ds[i] = delivery.Delivery{ActivityID: activity.activityID(), Inbox: inbox, Body: body, SignerAccountID: signerID}
	}
	if _, err := delivery.Enqueue(ctx, q, ds...); err != nil {
		return fmt.Errorf("federation: queue %s: %w", activity.activityID(), err)
	}
	return nil
}

// deliverable lists aud's inboxes in a stable order, without those on a suspended
// domain: the account's, or the inbox's own host (a shared inbox may live on another
// host than the handle's domain).
func (s *Service) deliverable(ctx context.Context, q store.Q, aud audience) ([]string, error) {
	suspended := map[string]bool{}
	isSuspended := func(host string) (bool, error) {
		if v, known := suspended[host]; known {
			return v, nil
		}
		p, err := q.DomainPolicyFor(ctx, host)
		suspended[host] = p.Suspended()
		return suspended[host], err
	}
	out := make([]string, 0, len(aud))
	for inbox, domain := range aud {
		byDomain, err := isSuspended(domain)
		if err != nil {
			return nil, err
		}
		byHost, err := isSuspended(hostOf(inbox))
		if err != nil {
			return nil, err
		}
		if !byDomain && !byHost {
			out = append(out, inbox)
		}
	}
	sort.Strings(out)
	return out, nil
}

// localAccount loads an account that acts here; remote accounts' actions are not ours
// to federate, so they come back nil.
func localAccount(ctx context.Context, q store.Q, id int64) (*model.Account, error) {
	a, err := q.AccountByID(ctx, id)
	if err != nil || !a.IsLocal() {
		return nil, err
	}
	return a, nil
}

// deliveryTo is the audience of one account: its inbox if it is remote, else empty.
func deliveryTo(ctx context.Context, q store.Q, accountID int64) (audience, error) {
	aud := audience{}
	return aud, aud.addAccounts(ctx, q, accountID)
}
