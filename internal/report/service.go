package report

import (
	"context"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/room"
)

// Repo reads what reports are made of; *store.Store implements it. Daily
// rows come back sparse (only days with something), in any order; the
// service fills the gaps and adds the totals. Each returns apperr NotFound
// when the subject does not exist.
type Repo interface {
	// SessionReport fills everything but Conversion; Products holds the
	// shelf and every product clicked or sold, in any order.
	SessionReport(ctx context.Context, sessionID string) (SessionReport, error)
	HostReport(ctx context.Context, hostID string, r Range) (HostReport, error)
	// ShopReport returns every product sold in the range (not only the
	// top ones) and the sessions started or selling in it.
	ShopReport(ctx context.Context, shopID string, r Range) (ShopReport, error)
	// MCNReport returns the hosts who sold under the agency in the range.
	MCNReport(ctx context.Context, mcnID string, r Range) (MCNReport, error)
	PlatformReport(ctx context.Context, r Range) (PlatformData, error)
}

// Rooms loads live sessions; *room.Service has it.
type Rooms interface {
	Get(ctx context.Context, id string) (room.Session, error)
}

// Agencies loads an agency's roster for whoever may manage it (its
// manager or an admin); *mcn.Service has it. Returns Forbidden or
// NotFound otherwise.
type Agencies interface {
	Roster(ctx context.Context, a account.Actor, mcnID string) ([]mcn.Agreement, error)
}

// Agreements lists a host's agency agreements; *store.Store has it
// (mcn.Repo).
type Agreements interface {
	Agreements(ctx context.Context, mcnID, hostID string) ([]mcn.Agreement, error)
}

// Config gives a Service its dependencies; all but Now are required.
type Config struct {
	Repo       Repo
	Rooms      Rooms
	Agencies   Agencies
	Agreements Agreements
	Now        func() time.Time
}

// Service builds reports for whoever may read them. It holds no state.
type Service struct {
	c Config
}

// NewService returns a report service.
func NewService(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Service{c: c}
}

// Session reports one live session to whoever may operate it. Returns
// Unauthorized, NotFound or Forbidden.
func (s *Service) Session(ctx context.Context, a account.Actor, sessionID string) (SessionReport, error) {
	if err := signedIn(a); err != nil {
		return SessionReport{}, err
	}
	ses, err := s.c.Rooms.Get(ctx, sessionID)
	if err != nil {
		return SessionReport{}, err
	}
	if !CanReadSession(a, ses) {
		return SessionReport{}, apperr.New(apperr.Forbidden, "only the shop's team or the session's host can see its report")
	}
	rep, err := s.c.Repo.SessionReport(ctx, ses.ID)
	if err != nil {
		return SessionReport{}, fmt.Errorf("report: session %s: %w", ses.ID, err)
	}
	finishSession(&rep)
	return rep, nil
}

// Host reports a host's days to the host, an admin or the manager of the
// host's agency. Returns Unauthorized, Forbidden, Invalid (from, to) or
// NotFound.
func (s *Service) Host(ctx context.Context, a account.Actor, hostID, from, to string) (HostReport, error) {
	if err := signedIn(a); err != nil {
		return HostReport{}, err
	}
	var ags []mcn.Agreement
	if a.ID() != hostID && !a.IsAdmin() && len(a.MCNs) > 0 {
		var err error
		if ags, err = s.c.Agreements.Agreements(ctx, "", hostID); err != nil {
			return HostReport{}, fmt.Errorf("report: agreements of %s: %w", hostID, err)
		}
	}
	if !CanReadHost(a, hostID, ags) {
		return HostReport{}, apperr.New(apperr.Forbidden, "only the host, their agency or an admin can see this report")
	}
	r, err := ParseRange(from, to, s.c.Now())
	if err != nil {
		return HostReport{}, err
	}
	rep, err := s.c.Repo.HostReport(ctx, hostID, r)
	if err != nil {
		return HostReport{}, fmt.Errorf("report: host %s: %w", hostID, err)
	}
	rep.HostID, rep.From, rep.To, rep.Currency = hostID, r.FromString(), r.ToString(), currency(rep.Currency)
	rep.Days, rep.Totals = fillDays(r, rep.Days)
	return rep, nil
}

// Shop reports a shop's sales to its team and admins. Returns
// Unauthorized, Forbidden, Invalid (from, to) or NotFound.
func (s *Service) Shop(ctx context.Context, a account.Actor, shopID, from, to string) (ShopReport, error) {
	if err := signedIn(a); err != nil {
		return ShopReport{}, err
	}
	if !CanReadShop(a, shopID) {
		return ShopReport{}, apperr.New(apperr.Forbidden, "you are not a member of shop %s", shopID)
	}
	r, err := ParseRange(from, to, s.c.Now())
	if err != nil {
		return ShopReport{}, err
	}
	rep, err := s.c.Repo.ShopReport(ctx, shopID, r)
	if err != nil {
		return ShopReport{}, fmt.Errorf("report: shop %s: %w", shopID, err)
	}
	rep.ShopID, rep.From, rep.To, rep.Currency = shopID, r.FromString(), r.ToString(), currency(rep.Currency)
	rep.Days, rep.Totals = fillDays(r, rep.Days)
	rep.TopProducts = topProducts(rep.TopProducts, TopProducts)
	rep.Sessions = rankSessions(rep.Sessions)
	return rep, nil
}

// MCN reports an agency's hosts to its manager and admins. Returns
// Unauthorized, Forbidden, NotFound or Invalid (from, to).
func (s *Service) MCN(ctx context.Context, a account.Actor, mcnID, from, to string) (MCNReport, error) {
	if err := signedIn(a); err != nil {
		return MCNReport{}, err
	}
	roster, err := s.c.Agencies.Roster(ctx, a, mcnID)
	if err != nil {
		return MCNReport{}, err
	}
	r, err := ParseRange(from, to, s.c.Now())
	if err != nil {
		return MCNReport{}, err
	}
	rep, err := s.c.Repo.MCNReport(ctx, mcnID, r)
	if err != nil {
		return MCNReport{}, fmt.Errorf("report: agency %s: %w", mcnID, err)
	}
	rep.MCNID, rep.From, rep.To, rep.Currency = mcnID, r.FromString(), r.ToString(), currency(rep.Currency)
	rep.Days, rep.Totals = fillDays(r, rep.Days)
	rep.Hosts = withRoster(rep.Hosts, roster)
	return rep, nil
}

// Platform reports the platform to admins. Returns Unauthorized,
// Forbidden or Invalid (from, to).
func (s *Service) Platform(ctx context.Context, a account.Actor, from, to string) (PlatformReport, error) {
	if err := signedIn(a); err != nil {
		return PlatformReport{}, err
	}
	if !CanReadPlatform(a) {
		return PlatformReport{}, apperr.New(apperr.Forbidden, "only platform admins can see the platform report")
	}
	r, err := ParseRange(from, to, s.c.Now())
	if err != nil {
		return PlatformReport{}, err
	}
	data, err := s.c.Repo.PlatformReport(ctx, r)
	if err != nil {
		return PlatformReport{}, fmt.Errorf("report: platform: %w", err)
	}
	return buildPlatform(r, data), nil
}
