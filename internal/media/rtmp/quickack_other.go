//go:build !linux

package rtmp

import "net"

// quickAck is a Linux optimisation (see quickack_linux.go).
func quickAck(net.Conn) {}
