package ap

import "testing"

// BenchmarkDecodeCreateNote measures the inbound path for the commonest
// activity: decode a Mastodon Create, then its embedded Note (sanitizing its
// HTML).
func BenchmarkDecodeCreateNote(b *testing.B) {
	data := readCorpus(b, "activities/mastodon-create-note-contentmap.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		a, err := DecodeActivity(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := DecodeObject(a.Object.Raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeActor measures decoding a Mastodon actor with profile
// fields.
func BenchmarkDecodeActor(b *testing.B) {
	data := readCorpus(b, "actors/mastodon-person-emelie.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeActor(data); err != nil {
			b.Fatal(err)
		}
	}
}
