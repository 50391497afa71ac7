// Package content holds the tour's embedded lessons, scenarios and dated
// price tables. Text and data only.
package content

import "embed"

// FS holds lessons/*.md, scenarios/*.yaml and pricing/*.yaml.
//
//go:embed all:lessons all:scenarios all:pricing
var FS embed.FS
