package rtmp

import "net"

// setupConn is the connection as seen during set-up (handshake, commands,
// headers): every read first asks for quick ACKs so that encoders that
// batch small writes behind our ACKs are not slowed down. Once media flows
// the plain connection is used.
type setupConn struct {
	net.Conn
	fast bool
}

func (c *setupConn) Read(p []byte) (int, error) {
	if c.fast {
		quickAck(c.Conn)
	}
	return c.Conn.Read(p)
}
