package model

// CanSee is tusk's one visibility rule: may viewer (0 = anonymous) see status s?
// viewerFollows says whether the viewer follows s's author, viewerMentioned whether
// s mentions the viewer. Visible adds blocks to it; store's builder.visibleTo is the SQL
// form of Visible for list queries, and a test checks that the two agree.
func CanSee(viewer int64, s *Status, viewerFollows, viewerMentioned bool) bool {
	if viewer != 0 && viewer == s.AccountID {
		return true
	}
	switch s.Visibility {
	case Public, Unlisted:
		return true
	case Private:
		return viewer != 0 && (viewerFollows || viewerMentioned)
	case Direct:
		return viewer != 0 && viewerMentioned
	}
	return false
}
