//go:build unix

package sim

import "syscall"

// openNonBlocking keeps open(2) from waiting for a writer when a named pipe
// takes the place of a file between the Stat and the Open.
const openNonBlocking = syscall.O_NONBLOCK
