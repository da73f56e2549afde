package order

import (
	"context"

	"github.com/liveshop/liveshop/internal/apperr"
)

// RoomRef is what attribution needs of a live room: whose it is, who hosts
// it, and whether it is still live.
type RoomRef struct {
	ShopID string
	HostID string
	Status string // scheduled, live, ended, replay
}

// attributed is an order request's attribution, checked: the room and its
// host come from the server, never from the client, so nobody can claim
// a commission by naming a host.
type attributed struct {
	Attribution
	roomShop string
	mcnID    string
	mcnShare int
}

// attribution checks where an order comes from. With a room, the room's
// host earns the commission and a room in replay makes the source replay;
// without one, a host may still be named (a host's own share link).
func (s *Service) attribution(ctx context.Context, in Attribution) (attributed, error) {
	attr := attributed{Attribution: Attribution{Source: in.Source, RoomID: in.RoomID, HostID: in.HostID}}
	if in.Source != "" && in.Source != SourceShop && in.Source != SourceLive && in.Source != SourceReplay {
		return attr, apperr.Field("attribution.source", "source must be shop, live or replay")
	}
	if in.RoomID != "" {
		room, err := s.repo.RoomForAttribution(ctx, in.RoomID)
		if apperr.Is(err, apperr.NotFound) {
			return attr, apperr.Field("attribution.room_id", "unknown live room %q", in.RoomID)
		}
		if err != nil {
			return attr, err
		}
		attr.roomShop, attr.HostID = room.ShopID, room.HostID
		if attr.Source == "" || attr.Source == SourceShop {
			attr.Source = SourceLive
		}
		if room.Status == "replay" || room.Status == "ended" {
			attr.Source = SourceReplay
		}
	}
	if attr.Source == "" {
		attr.Source = SourceShop
		if attr.HostID != "" {
			attr.Source = SourceLive
		}
	}
	if attr.HostID == "" {
		return attr, nil
	}
	mcnID, share, err := s.repo.ActiveAgreement(ctx, attr.HostID)
	if apperr.Is(err, apperr.NotFound) {
		return attr, apperr.Field("attribution.host_id", "unknown host %q", attr.HostID)
	}
	attr.mcnID, attr.mcnShare = mcnID, share
	return attr, err
}

// line stamps l, a line of shopID's product, with the attribution. A room
// sells only its own shop's products: another shop's line in the same
// cart is a plain shop sale.
func (a attributed) line(l Line, shopID string) Line {
	if a.RoomID != "" && shopID != a.roomShop {
		l.Source = SourceShop
		return l
	}
	l.Source, l.RoomID, l.HostID, l.MCNID, l.MCNShareBPS = a.Source, a.RoomID, a.HostID, a.mcnID, a.mcnShare
	return l
}
