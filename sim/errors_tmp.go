package sim

import "errors"

var errNotYet = errors.New("sim: engine not written yet")
