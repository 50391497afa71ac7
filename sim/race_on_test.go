//go:build race

package sim

// raceDetector is true under -race, where the engine runs ~10× slower.
const raceDetector = true
