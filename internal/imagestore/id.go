package imagestore

import "github.com/liveshop/liveshop/internal/apperr"

// maxIDLen is generous for ids like "img_01j…" (30 characters) while
// keeping file names far below any file system's limit.
const maxIDLen = 64

// checkID accepts only [a-z0-9_]. Ids become file names, so this is what
// keeps a path from escaping the directory ("../x", "/etc/passwd") and an
// id from colliding with another image's ".thumb.jpg" or a temp file,
// which all contain a dot.
func checkID(id string) error {
	if id == "" || len(id) > maxIDLen {
		return apperr.Field("id", "image id must be 1 to %d characters", maxIDLen)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return apperr.Field("id", "image id may contain only a-z, 0-9 and _")
		}
	}
	return nil
}
