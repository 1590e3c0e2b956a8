package model

import "time"

// AnnualReport is a member's summary of one year. Data is nil while a job generates it.
type AnnualReport struct {
	AccountID     int64
	Year          int
	SchemaVersion int
	Data          *AnnualReportData
	ViewedAt      *time.Time
	CreatedAt     time.Time
}

// AnnualReportData is schema version 2 of Mastodon's report data.
type AnnualReportData struct {
	Archetype   string          `json:"archetype"`
	TimeSeries  []MonthActivity `json:"time_series"`
	TopHashtags []TagCount      `json:"top_hashtags"`
	TopStatuses TopStatuses     `json:"top_statuses"`
}

// MonthActivity counts one month's new statuses and new followers.
type MonthActivity struct {
	Month     int   `json:"month"`
	Statuses  int64 `json:"statuses"`
	Followers int64 `json:"followers"`
}

// TagCount is a hashtag and how often the member used it.
type TagCount struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// TopStatuses names the member's most boosted status of the year; schema 2 keeps the
// other two keys, always null.
type TopStatuses struct {
	ByReblogs    *string `json:"by_reblogs"`
	ByReplies    *string `json:"by_replies"`
	ByFavourites *string `json:"by_favourites"`
}
