//go:build !embedfrontend

// Package frontend holds the built browser app, embedded in the binary when
// it is built with the embedfrontend tag (after `npm run build`).
package frontend

import "io/fs"

// Dist returns nil and false: this binary was built without the frontend, so
// `go test ./...` works without running the JavaScript build first.
func Dist() (fs.FS, bool) {
	return nil, false
}
