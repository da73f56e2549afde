// Package realtime is the WebSocket side of a live room: GET
// /ws/rooms/{roomID} per docs/REALTIME.md. It holds the connections of
// this node and fans room events out to them.
//
// Per node and room there is one hub: while the node has a connection in
// the room it holds one bus subscription to room.{id}.events and one to
// room.{id}.presence, encodes each event once and hands the bytes to every
// connection's bounded queue. A ring of the last events lets a reconnect
// with ?since= resume locally; older gaps are replayed from the bus, and
// gaps the bus no longer holds get a fresh snapshot with reset: true.
//
// Per connection a reader handles client frames (chat, like, question,
// ping) and a writer sends everything queued as one WebSocket message (a
// JSON array when there is more than one): batching adapts to the load by
// itself. A room above Options.TickThreshold events a second switches to
// fixed ticks and samples viewers' chat. A connection whose queue
// overflows is closed with 4008 alone; the room never waits for it.
//
// Lifecycle: New, mount ServeHTTP at "GET /ws/rooms/{roomID}", and Close
// on shutdown (sockets get 1001).
package realtime
