//go:build embedfrontend

// Package frontend holds the built browser app, embedded in the binary when
// it is built with the embedfrontend tag (after `npm run build`).
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built app rooted at dist/, and true because it is embedded.
func Dist() (fs.FS, bool) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, false
	}
	return sub, true
}
