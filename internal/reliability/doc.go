// Package reliability holds tests that run the tusk binary under load and break it:
// SIGKILL at random moments (crash safety) and a database outage (dependency faults).
// See docs/operations.md, "Reliability", for how to run them at full size.
package reliability
