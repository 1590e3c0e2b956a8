package entity

import (
	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/model"
)

// EmojiSource finds the local custom emoji a shortcode names.
type EmojiSource interface {
	Emoji(shortcode string) (*model.CustomEmoji, bool)
}

// CustomEmoji renders one emoji; static_url is the same image, as tusk keeps no still copy of animations.
func (r Renderer) CustomEmoji(e *model.CustomEmoji) Emoji {
	url := r.Config.MediaBaseURL() + "/" + emoji.Key(e.File)
	return Emoji{Shortcode: e.Shortcode, URL: url, StaticURL: url, VisibleInPicker: e.VisibleInPicker, Category: e.Category}
}

// CustomEmojis renders a list.
func (r Renderer) CustomEmojis(list []*model.CustomEmoji) []Emoji {
	out := make([]Emoji, len(list))
	for i, e := range list {
		out[i] = r.CustomEmoji(e)
	}
	return out
}

// emojisIn lists the local emoji whose shortcodes appear in texts. Remote content
// carries its own server's emoji, which tusk does not know yet, so it gets none.
func (r Renderer) emojisIn(local bool, texts ...string) []Emoji {
	out := noEmojis()
	if !local || r.Emojis == nil {
		return out
	}
	for _, code := range emoji.Shortcodes(texts...) {
		if e, ok := r.Emojis.Emoji(code); ok {
			out = append(out, r.CustomEmoji(e))
		}
	}
	return out
}

// accountEmojis lists the emoji in an account's name, bio and profile fields.
func (r Renderer) accountEmojis(a *model.Account) []Emoji {
	texts := []string{a.DisplayName, a.Note}
	for _, f := range a.Fields {
		texts = append(texts, f.Name, f.Value)
	}
	return r.emojisIn(a.IsLocal(), texts...)
}
