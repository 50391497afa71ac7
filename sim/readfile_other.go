//go:build !unix

package sim

// openNonBlocking: elsewhere named pipes are not files on a path to open.
const openNonBlocking = 0
