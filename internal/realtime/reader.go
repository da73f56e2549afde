package realtime

import (
	"context"

	"github.com/coder/websocket"

	"github.com/liveshop/liveshop/internal/apperr"
)

// readLoop handles client frames until the socket closes. A frame over
// MaxFrame makes the library close with 1009 and ends the loop.
func (c *conn) readLoop(h *hub) {
	for {
		typ, b, err := c.ws.Read(c.ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			b = nil // binary frames are not JSON either
		}
		f, err := decodeClientFrame(b)
		if err != nil {
			fe := err.(*frameError)
			if fe.notJSON {
				c.strikes++
				if c.strikes >= c.srv.opt.Strikes {
					c.fail(CloseNotJSON, "frames must be JSON")
					return
				}
			}
			c.sendError(fe.code, fe.message, fe.ref)
			continue
		}
		c.handle(h, f)
	}
}

// handle acts on one valid client frame.
func (c *conn) handle(h *hub, f clientFrame) {
	switch f.Type {
	case framePing:
		if data, err := encodeFrame(typePong, 0, c.srv.now().UnixMilli(), map[string]string{"ref": f.Ref}); err == nil {
			c.send(data)
		}
	case frameLike:
		if c.p.UserID == "" {
			c.sendError(codeForbidden, "sign in to like", f.Ref)
			return
		}
		if !c.likes.allow(c.srv.now()) {
			c.sendError(codeRateLimited, "too many like frames; send the taps together", f.Ref)
			return
		}
		h.addLikes(f.Count)
	case frameChat, frameQuestion:
		if c.p.UserID == "" {
			c.sendError(codeForbidden, "sign in to take part", f.Ref)
			return
		}
		if !h.allowChat(c.p.UserID) {
			c.sendError(codeRateLimited, "slow down: one message a second", f.Ref)
			return
		}
		ctx, cancel := context.WithTimeout(c.ctx, domainTimeout)
		defer cancel()
		var err error
		if f.Type == frameChat {
			err = c.srv.rooms.PostChat(ctx, c.p, c.roomID, f.Text)
		} else {
			err = c.srv.rooms.AskQuestion(ctx, c.p, c.roomID, f.Text)
		}
		if err != nil {
			c.sendDomainError(err, f.Ref)
		}
	}
}

// sendDomainError turns a domain refusal into an error frame; internal
// failures are logged and reach the client only as "internal error".
func (c *conn) sendDomainError(err error, ref string) {
	e, ok := apperr.As(err)
	if !ok || e.Code == apperr.Internal {
		c.srv.log.Error("realtime: client frame", "room", c.roomID, "user", c.p.UserID, "err", err)
		c.sendError(codeInternal, "internal error", ref)
		return
	}
	c.sendError(e.Code, e.Message, ref)
}

func (c *conn) sendError(code, message, ref string) {
	data, err := encodeFrame(typeError, 0, c.srv.now().UnixMilli(), errorData{Code: code, Message: message, Ref: ref})
	if err == nil {
		c.send(data)
	}
}
