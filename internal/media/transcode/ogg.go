package transcode

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Ogg framing (RFC 3533), just enough for one logical Opus stream in each
// direction: ffmpeg reads Ogg Opus on stdin and writes it on stdout, and
// both sides want one packet per page so that nothing waits for a page
// to fill up.

const (
	oggHeaderLen = 27
	// oggMaxPacket bounds a reassembled packet, so a broken stream cannot
	// grow memory without end (an Opus packet is at most 1275 bytes per
	// frame, 120 ms at most).
	oggMaxPacket = 64 << 10
)

const (
	oggContinued = 0x01 // the page's first packet continues the previous page's last
	oggFirst     = 0x02 // beginning of stream
	oggLast      = 0x04 // end of stream
)

// oggCRCTable is CRC-32 with polynomial 0x04c11db7, MSB first, no
// reflection, initial 0: Ogg's own variant, which hash/crc32 lacks.
var oggCRCTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

func oggCRC(crc uint32, b []byte) uint32 {
	for _, x := range b {
		crc = crc<<8 ^ oggCRCTable[byte(crc>>24)^x]
	}
	return crc
}

// oggReader returns the packets of an Ogg stream in order. It follows
// the first logical stream it sees and skips pages of any other.
type oggReader struct {
	r       *bufio.Reader
	serial  uint32
	started bool
	seq     uint32
	// packets completed on the current page, waiting to be returned.
	ready [][]byte
	// partial is a packet that continues on the next page.
	partial []byte
	head    [oggHeaderLen + 255]byte
}

func newOggReader(r io.Reader) *oggReader { return &oggReader{r: bufio.NewReaderSize(r, 16<<10)} }

var errOggCapture = errors.New("transcode: ogg: missing capture pattern")

// next returns the next packet, io.EOF at a clean end of stream.
func (o *oggReader) next() ([]byte, error) {
	for len(o.ready) == 0 {
		if err := o.page(); err != nil {
			return nil, err
		}
	}
	p := o.ready[0]
	o.ready = o.ready[1:]
	return p, nil
}

// page reads one page and queues the packets it completes.
func (o *oggReader) page() error {
	h := o.head[:oggHeaderLen]
	if _, err := io.ReadFull(o.r, h); err != nil {
		if err == io.ErrUnexpectedEOF {
			return fmt.Errorf("transcode: ogg: truncated page header: %w", err)
		}
		return err
	}
	if string(h[:4]) != "OggS" {
		return errOggCapture
	}
	if h[4] != 0 {
		return fmt.Errorf("transcode: ogg: unsupported version %d", h[4])
	}
	flags := h[5]
	serial := binary.LittleEndian.Uint32(h[14:])
	seq := binary.LittleEndian.Uint32(h[18:])
	want := binary.LittleEndian.Uint32(h[22:])
	nseg := int(h[26])
	lacing := o.head[oggHeaderLen : oggHeaderLen+nseg]
	if _, err := io.ReadFull(o.r, lacing); err != nil {
		return fmt.Errorf("transcode: ogg: truncated segment table: %w", noEOF(err))
	}
	size := 0
	for _, l := range lacing {
		size += int(l)
	}
	body := make([]byte, size)
	if _, err := io.ReadFull(o.r, body); err != nil {
		return fmt.Errorf("transcode: ogg: truncated page body: %w", noEOF(err))
	}

	binary.LittleEndian.PutUint32(h[22:], 0)
	crc := oggCRC(oggCRC(0, o.head[:oggHeaderLen+nseg]), body)
	if crc != want {
		return fmt.Errorf("transcode: ogg: page %d: checksum mismatch", seq)
	}
	if !o.started {
		o.serial, o.started, o.seq = serial, true, seq
	} else if serial != o.serial {
		return nil // another logical stream: not ours
	} else {
		if seq != o.seq+1 {
			o.partial = nil // a page was lost: a packet spanning it is broken
		}
		o.seq = seq
	}
	// A page that continues a packet we do not have (a lost page, or the
	// stream joined midway) drops that packet's remains.
	var cur []byte
	skip := false
	if flags&oggContinued != 0 {
		cur, skip = o.partial, o.partial == nil
	}
	o.partial = nil
	pos := 0
	for _, l := range lacing {
		if !skip {
			cur = append(cur, body[pos:pos+int(l)]...)
			if len(cur) > oggMaxPacket {
				return fmt.Errorf("transcode: ogg: packet larger than %d bytes", oggMaxPacket)
			}
		}
		pos += int(l)
		if l < 255 {
			if !skip {
				o.ready = append(o.ready, cur)
			}
			cur, skip = nil, false
		}
	}
	if !skip && cur != nil {
		o.partial = cur // the last packet goes on in the next page
	}
	return nil
}

// oggWriter writes one logical stream, one packet per page, so that each
// packet reaches ffmpeg as soon as it is written.
type oggWriter struct {
	w      io.Writer
	serial uint32
	seq    uint32
	buf    []byte
}

func newOggWriter(w io.Writer, serial uint32) *oggWriter { return &oggWriter{w: w, serial: serial} }

// writePacket writes p as a page of its own (or a few, past 65025 bytes)
// ending at granule.
func (o *oggWriter) writePacket(p []byte, granule int64, flags byte) error {
	for first := true; first || len(p) > 0; first = false {
		n := min(len(p), 255*255)
		chunk := p[:n]
		p = p[n:]
		nseg := n/255 + 1
		if n == 255*255 && len(p) > 0 {
			nseg = 255 // the packet goes on: no closing short segment
		}
		f := flags
		if !first {
			f = oggContinued
		}
		g := granule
		if len(p) > 0 {
			g = -1 // no packet ends on this page
		}
		o.buf = o.buf[:0]
		o.buf = append(o.buf, "OggS"...)
		o.buf = append(o.buf, 0, f)
		o.buf = binary.LittleEndian.AppendUint64(o.buf, uint64(g))
		o.buf = binary.LittleEndian.AppendUint32(o.buf, o.serial)
		o.buf = binary.LittleEndian.AppendUint32(o.buf, o.seq)
		o.buf = append(o.buf, 0, 0, 0, 0, byte(nseg))
		rest := n
		for range nseg {
			l := min(rest, 255)
			o.buf = append(o.buf, byte(l))
			rest -= l
		}
		o.buf = append(o.buf, chunk...)
		binary.LittleEndian.PutUint32(o.buf[22:], oggCRC(0, o.buf))
		o.seq++
		if _, err := o.w.Write(o.buf); err != nil {
			return err
		}
	}
	return nil
}
