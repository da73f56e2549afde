package rtmp

import (
	"net"
	"syscall"
)

// quickAck asks Linux to acknowledge received data at once rather than
// after the delayed-ACK timer. Clients that leave Nagle's algorithm on
// (ffmpeg does) hold each small command until the previous one is
// acknowledged, so during the chatty set-up every delayed ACK costs
// 40 ms; quick ACKs take ~100 ms off connect → first frame. The kernel
// drops back to delayed ACKs by itself, hence a call before every read.
func quickAck(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	_ = raw.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}
