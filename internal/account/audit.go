package account

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// Admin actions, as the admin audit log records them.
const (
	AuditShopApprove = "shop.approve"
	AuditShopReject  = "shop.reject"
	AuditShopFee     = "shop.fee"
	// AuditShopProgramme: a shop moved to another programme.
	AuditShopProgramme = "shop.programme"
	AuditUserAdmin     = "user.admin"
)

// AuditEntry is one admin action. ActorID is empty for the command line;
// Detail says what changed (a reason, a fee, the new flag value).
type AuditEntry struct {
	ID         string    `json:"id"`
	ActorID    string    `json:"actor_id"`
	Action     string    `json:"action"`
	TargetKind string    `json:"target_kind"`
	TargetID   string    `json:"target_id"`
	Detail     string    `json:"detail"`
	CreatedAt  time.Time `json:"created_at"`
}

// AdminAudit lists admin actions newest first, before cursor; admins only.
func (s *Service) AdminAudit(ctx context.Context, a Actor, cursor string, limit int) ([]AuditEntry, error) {
	if a.Anonymous() {
		return nil, apperr.New(apperr.Unauthorized, "sign in to read the admin audit log")
	}
	if !a.IsAdmin() {
		return nil, apperr.New(apperr.Forbidden, "only admins can read the admin audit log")
	}
	return s.repo.ListAdminAudit(ctx, cursor, limit)
}

// NewAuditEntry records that by did action to a target at at; the store
// writes it in the transaction that makes the change.
func NewAuditEntry(by Actor, action, targetKind, targetID, detail string, at time.Time) AuditEntry {
	return AuditEntry{ID: ids.New("aud"), ActorID: by.ID(), Action: action, TargetKind: targetKind, TargetID: targetID,
		Detail: detail, CreatedAt: at.UTC()}
}
