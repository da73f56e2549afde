//go:build race

package realtime

// raceEnabled slows everything down tenfold: load tests send less.
const raceEnabled = true
