// Package schema holds Tafel's versioned SQL migrations, one set per dialect.
// Files are named NNNN_name.up.sql and NNNN_name.down.sql.
package schema

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
