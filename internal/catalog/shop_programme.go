package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// MoveShop puts a shop in another programme; admins only. Its new orders
// are charged that programme's fee (unless the shop has its own) and it
// is listed in that programme's channel; orders already placed keep the
// fee they were placed under.
func (s *Service) MoveShop(ctx context.Context, a account.Actor, id, code string) (ShopFee, error) {
	if err := requireAdmin(a); err != nil {
		return ShopFee{}, err
	}
	code = strings.TrimSpace(code)
	ps, err := s.programmes(ctx)
	if err != nil {
		return ShopFee{}, err
	}
	p, ok := ps[code]
	if !ok {
		return ShopFee{}, apperr.Field("programme", "unknown programme %q", code)
	}
	sh, err := s.repo.ShopByID(ctx, id)
	if err != nil {
		return ShopFee{}, err
	}
	if sh.Programme != code {
		audit := account.NewAuditEntry(a, account.AuditShopProgramme, "shop", id, sh.Programme+" → "+code, s.now())
		if err := s.repo.SetShopProgramme(ctx, id, code, audit); err != nil {
			return ShopFee{}, fmt.Errorf("catalog: move shop %s to %s: %w", id, code, err)
		}
		sh.Programme = code
	}
	return ShopFee{Shop: sh, ProgrammeName: p.Name, ProgrammeFeeBPS: p.PlatformFeeBPS, EffectiveFeeBPS: sh.PlatformFeeBPS(p)}, nil
}
