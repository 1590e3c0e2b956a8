package mastoapi_test

import "strconv"

func idOf(v int64) string { return strconv.FormatInt(v, 10) }
