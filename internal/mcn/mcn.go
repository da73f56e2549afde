// Package mcn holds multi-channel networks: agencies that run rosters of
// hosts and keep a share of their commissions under an agreement.
package mcn

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// Agreement statuses.
const (
	Invited  = "invited"
	Active   = "active"
	Declined = "declined"
	Ended    = "ended"
)

// Agency is an MCN.
type Agency struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	ManagerID string    `json:"manager_id"`
	CreatedAt time.Time `json:"created_at"`
}

// Agreement is a host's contract with an agency.
type Agreement struct {
	MCNID       string    `json:"mcn_id"`
	MCNName     string    `json:"mcn_name,omitempty"`
	HostID      string    `json:"host_id"`
	HostName    string    `json:"host_name,omitempty"`
	HostEmail   string    `json:"host_email,omitempty"`
	MCNShareBPS int       `json:"mcn_share_bps"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
}

// Repo stores agencies and agreements.
type Repo interface {
	CreateAgency(ctx context.Context, a Agency) error
	AgencyByID(ctx context.Context, id string) (Agency, error)
	ListAgencies(ctx context.Context, managerID string) ([]Agency, error)
	// Invite creates or renews an invitation; Conflict if the host already
	// has an active agreement with any agency.
	Invite(ctx context.Context, ag Agreement) error
	Agreements(ctx context.Context, mcnID, hostID string) ([]Agreement, error)
	// Answer moves an invited agreement to active or declined.
	Answer(ctx context.Context, mcnID, hostID string, accept bool, at time.Time) error
	End(ctx context.Context, mcnID, hostID string, at time.Time) error
	UserIDByEmail(ctx context.Context, email string) (string, error)
}

// Service runs agencies.
type Service struct {
	repo Repo
	now  func() time.Time
}

// NewService returns an MCN service.
func NewService(repo Repo, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{repo: repo, now: now}
}

// Create makes a new agency managed by the actor.
func (s *Service) Create(ctx context.Context, a account.Actor, name string) (Agency, error) {
	if a.Anonymous() {
		return Agency{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 80 {
		return Agency{}, apperr.Field("name", "agency name must be 1–80 characters")
	}
	ag := Agency{ID: ids.New("mcn"), Name: name, ManagerID: a.ID(), CreatedAt: s.now().UTC()}
	if err := s.repo.CreateAgency(ctx, ag); err != nil {
		return Agency{}, fmt.Errorf("mcn: create %q: %w", name, err)
	}
	return ag, nil
}

// Mine lists the agencies the actor manages.
func (s *Service) Mine(ctx context.Context, a account.Actor) ([]Agency, error) {
	if a.Anonymous() {
		return nil, apperr.New(apperr.Unauthorized, "sign in first")
	}
	return s.repo.ListAgencies(ctx, a.ID())
}

func (s *Service) manage(ctx context.Context, a account.Actor, mcnID string) (Agency, error) {
	if a.Anonymous() {
		return Agency{}, apperr.New(apperr.Unauthorized, "sign in first")
	}
	ag, err := s.repo.AgencyByID(ctx, mcnID)
	if err != nil {
		return Agency{}, err
	}
	if ag.ManagerID != a.ID() && !a.IsAdmin() {
		return Agency{}, apperr.New(apperr.Forbidden, "you do not manage agency %s", mcnID)
	}
	return ag, nil
}

// InviteHost offers a host (by email) an agreement with the agency's share.
func (s *Service) InviteHost(ctx context.Context, a account.Actor, mcnID, email string, shareBPS int) (Agreement, error) {
	if _, err := s.manage(ctx, a, mcnID); err != nil {
		return Agreement{}, err
	}
	if shareBPS < 0 || shareBPS > 10000 {
		return Agreement{}, apperr.Field("mcn_share_bps", "the agency's share must be between 0 and 10000 basis points")
	}
	hostID, err := s.repo.UserIDByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if apperr.Is(err, apperr.NotFound) {
		return Agreement{}, apperr.Field("email", "no user with email %q; they must sign up first", email)
	}
	if err != nil {
		return Agreement{}, err
	}
	ag := Agreement{MCNID: mcnID, HostID: hostID, MCNShareBPS: shareBPS, Status: Invited, CreatedAt: s.now().UTC()}
	if err := s.repo.Invite(ctx, ag); err != nil {
		return Agreement{}, fmt.Errorf("mcn: invite %s: %w", email, err)
	}
	return ag, nil
}

// Roster lists the agency's agreements.
func (s *Service) Roster(ctx context.Context, a account.Actor, mcnID string) ([]Agreement, error) {
	if _, err := s.manage(ctx, a, mcnID); err != nil {
		return nil, err
	}
	return s.repo.Agreements(ctx, mcnID, "")
}

// MyAgreements lists the agencies that invited or represent the actor.
func (s *Service) MyAgreements(ctx context.Context, a account.Actor) ([]Agreement, error) {
	if a.Anonymous() {
		return nil, apperr.New(apperr.Unauthorized, "sign in first")
	}
	return s.repo.Agreements(ctx, "", a.ID())
}

// Answer is the host accepting or declining an invitation. Accepting makes
// the actor a host.
func (s *Service) Answer(ctx context.Context, a account.Actor, mcnID string, accept bool) error {
	if a.Anonymous() {
		return apperr.New(apperr.Unauthorized, "sign in first")
	}
	return s.repo.Answer(ctx, mcnID, a.ID(), accept, s.now().UTC())
}

// EndAgreement ends an active agreement; the agency's manager or the host.
func (s *Service) EndAgreement(ctx context.Context, a account.Actor, mcnID, hostID string) error {
	if a.ID() != hostID {
		if _, err := s.manage(ctx, a, mcnID); err != nil {
			return err
		}
	}
	return s.repo.End(ctx, mcnID, hostID, s.now().UTC())
}
