package hls

import (
	"fmt"
	"net/url"
	"strings"
)

// normaliseCDNBase checks a --cdn-base value: empty, or an absolute
// http(s) URL without query or fragment. The result has no trailing slash.
func normaliseCDNBase(base string) (string, error) {
	if base == "" {
		return "", nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("hls: CDN base %q is not an absolute http(s) URL", base)
	}
	return strings.TrimRight(base, "/"), nil
}

// cdnPrefix is what relative media URIs of roomID's CDN playlists get in
// front of them: {base}/live/{roomID}/cdn/.
func cdnPrefix(base, roomID string) string {
	return base + "/live/" + url.PathEscape(roomID) + "/cdn/"
}

// rewriteMediaURIs makes the relative media URIs of an HLS playlist
// (segment lines and URI="…" attributes such as EXT-X-MAP's) absolute by
// putting prefix in front of them. Playlist URIs (.m3u8) stay relative,
// so players keep loading playlists from the origin, which answers them
// with a short max-age, while segments come from the CDN. URIs that are
// already absolute are left alone, so rewriting twice changes nothing.
func rewriteMediaURIs(playlist []byte, prefix string) []byte {
	if prefix == "" {
		return playlist
	}
	lines := strings.Split(string(playlist), "\n")
	for i, line := range lines {
		text, cr := strings.CutSuffix(line, "\r")
		switch {
		case text == "":
		case strings.HasPrefix(text, "#"):
			text = rewriteURIAttribute(text, prefix)
		case isRelativeMediaURI(text):
			text = prefix + text
		}
		if cr {
			text += "\r"
		}
		lines[i] = text
	}
	return []byte(strings.Join(lines, "\n"))
}

// rewriteURIAttribute rewrites the URI="…" attribute of a tag line.
func rewriteURIAttribute(tag, prefix string) string {
	const attr = `URI="`
	at := strings.Index(tag, attr)
	// The attribute must start the attribute list or follow a comma, so
	// that a name ending in URI (e.g. a custom X-FOO-URI) is not taken.
	if at < 0 || (at > 0 && tag[at-1] != ':' && tag[at-1] != ',') {
		return tag
	}
	start := at + len(attr)
	end := strings.IndexByte(tag[start:], '"')
	if end < 0 {
		return tag
	}
	uri := tag[start : start+end]
	if !isRelativeMediaURI(uri) {
		return tag
	}
	return tag[:start] + prefix + uri + tag[start+end:]
}

// isRelativeMediaURI reports whether uri is a relative reference to a
// media file (not a playlist) that a prefix can be put in front of.
func isRelativeMediaURI(uri string) bool {
	if uri == "" || strings.HasPrefix(uri, "/") || strings.ContainsAny(uri, " \t\"") {
		return false
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return false
	}
	return !strings.HasSuffix(u.Path, ".m3u8")
}
