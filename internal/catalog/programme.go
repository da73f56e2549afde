package catalog

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// Admin actions on programmes, as the admin audit log records them.
const (
	AuditProgrammeCreate = "programme.create"
	AuditProgrammeUpdate = "programme.update"
)

// MaxProgrammeFeeBPS caps a programme's platform fee at 50%: a schedule
// above it is a typing mistake, not a policy. (A single shop's override
// keeps the wider 0–10000 range.)
const MaxProgrammeFeeBPS = 5000

var programmeCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// NewProgramme is a fee schedule an admin creates.
type NewProgramme struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Description    string `json:"description"`
	PlatformFeeBPS int    `json:"platform_fee_bps"`
}

// ProgrammeUpdate changes a programme; nil fields stay as they are. The
// code never changes: shops refer to it.
type ProgrammeUpdate struct {
	Name           *string `json:"name,omitempty"`
	Description    *string `json:"description,omitempty"`
	PlatformFeeBPS *int    `json:"platform_fee_bps,omitempty"`
}

func checkProgrammeName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 80 {
		return "", apperr.Field("name", "name must be 1–80 characters")
	}
	return name, nil
}

func checkProgrammeDescription(d string) (string, error) {
	d = strings.TrimSpace(d)
	if utf8.RuneCountInString(d) > 500 {
		return "", apperr.Field("description", "description must be at most 500 characters")
	}
	return d, nil
}

func checkProgrammeFee(bps int) error {
	if bps < 0 || bps > MaxProgrammeFeeBPS {
		return apperr.Field("platform_fee_bps", "platform fee must be between 0 and %d basis points", MaxProgrammeFeeBPS)
	}
	return nil
}

// CreateProgramme adds a fee schedule shops can apply under; admins only,
// audited. Invalid names the field; Conflict when the code is taken.
func (s *Service) CreateProgramme(ctx context.Context, a account.Actor, in NewProgramme) (Programme, error) {
	if err := requireAdmin(a); err != nil {
		return Programme{}, err
	}
	code := strings.TrimSpace(in.Code)
	if !programmeCode.MatchString(code) {
		return Programme{}, apperr.Field("code", "code must be 2–32 lower-case letters, digits or _, starting with a letter")
	}
	name, err := checkProgrammeName(in.Name)
	if err != nil {
		return Programme{}, err
	}
	desc, err := checkProgrammeDescription(in.Description)
	if err != nil {
		return Programme{}, err
	}
	if err := checkProgrammeFee(in.PlatformFeeBPS); err != nil {
		return Programme{}, err
	}
	p := Programme{Code: code, Name: name, Description: desc, PlatformFeeBPS: in.PlatformFeeBPS}
	audit := account.NewAuditEntry(a, AuditProgrammeCreate, "programme", code, fmt.Sprintf("%s, %d bps", name, p.PlatformFeeBPS), s.now())
	if err := s.repo.CreateProgramme(ctx, p, audit); err != nil {
		return Programme{}, fmt.Errorf("catalog: create programme %s: %w", code, err)
	}
	return p, nil
}

// UpdateProgramme edits a programme's name, description or fee; admins
// only, audited. A new fee applies to orders placed from now on: each
// order keeps the fee it was placed under (store: orders.platform_fee_bps).
func (s *Service) UpdateProgramme(ctx context.Context, a account.Actor, code string, u ProgrammeUpdate) (Programme, error) {
	if err := requireAdmin(a); err != nil {
		return Programme{}, err
	}
	var changes []string
	if u.Name != nil {
		n, err := checkProgrammeName(*u.Name)
		if err != nil {
			return Programme{}, err
		}
		u.Name = &n
		changes = append(changes, "name "+n)
	}
	if u.Description != nil {
		d, err := checkProgrammeDescription(*u.Description)
		if err != nil {
			return Programme{}, err
		}
		u.Description = &d
		changes = append(changes, "description")
	}
	if u.PlatformFeeBPS != nil {
		if err := checkProgrammeFee(*u.PlatformFeeBPS); err != nil {
			return Programme{}, err
		}
		changes = append(changes, fmt.Sprintf("fee %d bps", *u.PlatformFeeBPS))
	}
	if len(changes) == 0 {
		return Programme{}, apperr.Field("name", "nothing to change: send name, description or platform_fee_bps")
	}
	audit := account.NewAuditEntry(a, AuditProgrammeUpdate, "programme", code, strings.Join(changes, "; "), s.now())
	p, err := s.repo.UpdateProgramme(ctx, code, u, audit)
	if err != nil {
		return Programme{}, fmt.Errorf("catalog: update programme %s: %w", code, err)
	}
	return p, nil
}

// ShopFee is a shop as the fee schedule sees it: its programme and the
// fee its new orders are charged (its override, else the programme's).
type ShopFee struct {
	Shop            Shop   `json:"shop"`
	ProgrammeName   string `json:"programme_name"`
	ProgrammeFeeBPS int    `json:"programme_fee_bps"`
	EffectiveFeeBPS int    `json:"effective_fee_bps"`
}

// ShopFees lists shops of a status (approved when empty) with their
// programme and effective fee; admins only.
func (s *Service) ShopFees(ctx context.Context, a account.Actor, f ShopFilter) ([]ShopFee, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	if f.Status == "" {
		f.Status = ShopApproved
	}
	if f.Status != ShopPending && f.Status != ShopApproved && f.Status != ShopRejected {
		return nil, apperr.Field("status", "status must be pending, approved or rejected")
	}
	ps, err := s.programmes(ctx)
	if err != nil {
		return nil, err
	}
	shops, err := s.repo.ListShops(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]ShopFee, 0, len(shops))
	for _, sh := range shops {
		p := ps[sh.Programme]
		out = append(out, ShopFee{Shop: sh, ProgrammeName: p.Name, ProgrammeFeeBPS: p.PlatformFeeBPS, EffectiveFeeBPS: sh.PlatformFeeBPS(p)})
	}
	return out, nil
}
