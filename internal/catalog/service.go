package catalog

import (
	"context"
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// ImageFiles keeps image bytes. Store validates type and size, writes the
// original and a thumbnail, and reports what it stored.
type ImageFiles interface {
	Store(ctx context.Context, id string, r io.Reader) (ImageMeta, error)
	Remove(id string) error
}

// ImageMeta describes a stored image.
type ImageMeta struct {
	ContentType string
	SizeBytes   int64
	Width       int
	Height      int
}

// MaxImagesPerProduct bounds a product's gallery.
const MaxImagesPerProduct = 9

// Service runs the catalog: every call checks who may make it.
type Service struct {
	repo   Repo
	images ImageFiles
	now    func() time.Time
}

// NewService returns a catalog service.
func NewService(repo Repo, images ImageFiles, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{repo: repo, images: images, now: now}
}

// Programmes lists the fee schedules shops can apply under.
func (s *Service) Programmes(ctx context.Context) ([]Programme, error) {
	return s.repo.Programmes(ctx)
}

func (s *Service) programmes(ctx context.Context) (map[string]Programme, error) {
	ps, err := s.repo.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Programme, len(ps))
	for _, p := range ps {
		m[p.Code] = p
	}
	return m, nil
}

// Apply opens a shop application; it waits for an admin's review.
func (s *Service) Apply(ctx context.Context, a account.Actor, app ShopApplication) (Shop, error) {
	if err := requireSignedIn(a); err != nil {
		return Shop{}, err
	}
	ps, err := s.programmes(ctx)
	if err != nil {
		return Shop{}, err
	}
	if err := app.Validate(ps); err != nil {
		return Shop{}, err
	}
	sh := Shop{
		ID: ids.New("shp"), OwnerID: a.ID(), Name: app.Name, Description: app.Description,
		Category: app.Category, Region: app.Region, County: app.County, Programme: app.Programme,
		Status: ShopPending, CreatedAt: s.now().UTC(),
	}
	if err := s.repo.CreateShop(ctx, sh); err != nil {
		return Shop{}, fmt.Errorf("catalog: apply %q: %w", app.Name, err)
	}
	return sh, nil
}

// Review approves or rejects a pending shop. Rejection needs a reason.
func (s *Service) Review(ctx context.Context, a account.Actor, shopID string, approve bool, reason string) (Shop, error) {
	if err := requireAdmin(a); err != nil {
		return Shop{}, err
	}
	reason = strings.TrimSpace(reason)
	status := ShopApproved
	if !approve {
		status = ShopRejected
		if reason == "" {
			return Shop{}, apperr.Field("reason", "say why the shop is rejected")
		}
	}
	if len(reason) > 500 {
		return Shop{}, apperr.Field("reason", "reason must be at most 500 characters")
	}
	action := account.AuditShopApprove
	if !approve {
		action = account.AuditShopReject
	}
	audit := account.NewAuditEntry(a, action, "shop", shopID, reason, s.now())
	if err := s.repo.ReviewShop(ctx, shopID, status, reason, audit); err != nil {
		return Shop{}, fmt.Errorf("catalog: review %s: %w", shopID, err)
	}
	return s.repo.ShopByID(ctx, shopID)
}

// Shop returns a shop the actor may see.
func (s *Service) Shop(ctx context.Context, a account.Actor, id string) (Shop, error) {
	sh, err := s.repo.ShopByID(ctx, id)
	if err != nil {
		return Shop{}, err
	}
	if !CanSee(a, sh) {
		return Shop{}, apperr.New(apperr.NotFound, "shop not found")
	}
	return sh, nil
}

// ListShops lists approved shops to everyone; admins may filter by any
// status, and Mine lists the actor's own shops whatever their status.
func (s *Service) ListShops(ctx context.Context, a account.Actor, f ShopFilter, mine bool) ([]Shop, error) {
	switch {
	case mine:
		if err := requireSignedIn(a); err != nil {
			return nil, err
		}
		f.MemberID = a.ID()
	case f.Status != "" && f.Status != ShopApproved:
		if err := requireAdmin(a); err != nil {
			return nil, err
		}
	default:
		f.Status = ShopApproved
	}
	if f.Status != "" && f.Status != ShopPending && f.Status != ShopApproved && f.Status != ShopRejected {
		return nil, apperr.Field("status", "status must be pending, approved or rejected")
	}
	return s.repo.ListShops(ctx, f)
}

// UpdateShop edits the profile.
func (s *Service) UpdateShop(ctx context.Context, a account.Actor, id string, u ShopUpdate) (Shop, error) {
	if err := requireAdminister(a, id); err != nil {
		return Shop{}, err
	}
	if u.Name != nil {
		n := strings.TrimSpace(*u.Name)
		if n == "" || len([]rune(n)) > 80 {
			return Shop{}, apperr.Field("name", "business name must be 1–80 characters")
		}
		u.Name = &n
	}
	if u.Description != nil && len([]rune(*u.Description)) > 2000 {
		return Shop{}, apperr.Field("description", "description must be at most 2000 characters")
	}
	if err := s.repo.UpdateShop(ctx, id, u); err != nil {
		return Shop{}, fmt.Errorf("catalog: update shop %s: %w", id, err)
	}
	return s.repo.ShopByID(ctx, id)
}

// SetFeeOverride sets or clears (nil) a shop's own platform fee; admins only.
func (s *Service) SetFeeOverride(ctx context.Context, a account.Actor, id string, bps *int) (Shop, error) {
	if err := requireAdmin(a); err != nil {
		return Shop{}, err
	}
	if bps != nil && (*bps < 0 || *bps > 10000) {
		return Shop{}, apperr.Field("fee_override_bps", "fee must be between 0 and 10000 basis points")
	}
	detail := "cleared"
	if bps != nil {
		detail = strconv.Itoa(*bps) + " bps"
	}
	if err := s.repo.SetFeeOverride(ctx, id, bps, account.NewAuditEntry(a, account.AuditShopFee, "shop", id, detail, s.now())); err != nil {
		return Shop{}, fmt.Errorf("catalog: fee override %s: %w", id, err)
	}
	return s.repo.ShopByID(ctx, id)
}

// Invite asks someone by email to join the shop's staff.
func (s *Service) Invite(ctx context.Context, a account.Actor, shopID, email string) (Invitation, error) {
	if err := requireAdminister(a, shopID); err != nil {
		return Invitation{}, err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return Invitation{}, apperr.Field("email", "email %q is not a valid address", email)
	}
	if _, err := s.repo.ShopByID(ctx, shopID); err != nil {
		return Invitation{}, err
	}
	inv := Invitation{ID: ids.New("inv"), ShopID: shopID, Email: email, Role: account.ShopStaff, Status: "pending", InvitedBy: a.ID(), CreatedAt: s.now().UTC()}
	if err := s.repo.CreateInvitation(ctx, inv); err != nil {
		return Invitation{}, fmt.Errorf("catalog: invite %s: %w", email, err)
	}
	return inv, nil
}

// ShopInvitations lists a shop's invitations for its owner.
func (s *Service) ShopInvitations(ctx context.Context, a account.Actor, shopID string) ([]Invitation, error) {
	if err := requireAdminister(a, shopID); err != nil {
		return nil, err
	}
	return s.repo.ListInvitations(ctx, shopID, "")
}

// MyInvitations lists invitations sent to the actor's email.
func (s *Service) MyInvitations(ctx context.Context, a account.Actor) ([]Invitation, error) {
	if err := requireSignedIn(a); err != nil {
		return nil, err
	}
	return s.repo.ListInvitations(ctx, "", a.User.Email)
}

// AnswerInvitation accepts or declines an invitation addressed to the actor.
func (s *Service) AnswerInvitation(ctx context.Context, a account.Actor, id string, accept bool) error {
	if err := requireSignedIn(a); err != nil {
		return err
	}
	inv, err := s.repo.InvitationByID(ctx, id)
	if err != nil {
		return err
	}
	if inv.Email != a.User.Email {
		return apperr.New(apperr.NotFound, "invitation not found")
	}
	if inv.Status != "pending" {
		return apperr.New(apperr.Conflict, "invitation is already %s", inv.Status)
	}
	return s.repo.AnswerInvitation(ctx, id, a.ID(), accept, s.now().UTC())
}

// Members lists a shop's owner and staff.
func (s *Service) Members(ctx context.Context, a account.Actor, shopID string) ([]Member, error) {
	if err := requireOperate(a, shopID); err != nil {
		return nil, err
	}
	return s.repo.ListMembers(ctx, shopID)
}

// RemoveMember takes a staff member off the shop.
func (s *Service) RemoveMember(ctx context.Context, a account.Actor, shopID, userID string) error {
	if err := requireAdminister(a, shopID); err != nil {
		return err
	}
	sh, err := s.repo.ShopByID(ctx, shopID)
	if err != nil {
		return err
	}
	if sh.OwnerID == userID {
		return apperr.Field("user_id", "the owner cannot be removed from their shop")
	}
	return s.repo.RemoveMember(ctx, shopID, userID)
}
