package config

import (
	"strings"
	"testing"
	"time"
)

func TestBackupSettings(t *testing.T) {
	c, err := fromRaw(rawWith(map[string]string{"TUSK_BACKUP_SCHEDULE": "24h", "TUSK_BACKUP_KEEP": "3", "TUSK_BACKUP_DIR": "/srv/backups"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Backup != (BackupConfig{Every: 24 * time.Hour, Keep: 3, Dir: "/srv/backups"}) {
		t.Errorf("Backup = %+v", c.Backup)
	}
	if c, err := fromRaw(rawWith(nil)); err != nil || c.Backup.Every != 0 || c.Backup.Keep != 7 {
		t.Errorf("defaults: %+v, %v; want off, keep 7", c.Backup, err)
	}
	for _, bad := range []map[string]string{{"TUSK_BACKUP_SCHEDULE": "daily"}, {"TUSK_BACKUP_SCHEDULE": "10m"}, {"TUSK_BACKUP_KEEP": "0"}} {
		_, err := fromRaw(rawWith(bad))
		for k := range bad {
			if err == nil || !strings.Contains(err.Error(), k) {
				t.Errorf("%v: error %v does not name %s", bad, err, k)
			}
		}
	}
}

// rawWith is every setting's default with some values replaced.
func rawWith(over map[string]string) map[string]string {
	raw := map[string]string{}
	for _, s := range settings {
		raw[s.env] = s.def
	}
	for k, v := range over {
		raw[k] = v
	}
	return raw
}
