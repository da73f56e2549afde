package order

import "github.com/liveshop/liveshop/internal/money"

// Split is how one paid line's money is divided. The four parts always
// add up to the line total: rounding goes to the merchant.
type Split struct {
	PlatformFee    int64 `json:"platform_fee_minor"`
	HostCommission int64 `json:"host_commission_minor"` // what the host keeps
	MCNShare       int64 `json:"mcn_share_minor"`       // the agency's cut of the commission
	MerchantNet    int64 `json:"merchant_net_minor"`
}

// SplitLine divides a line total. The platform takes platformBPS of the
// total; when a host sold it, the host earns commissionBPS of the total,
// of which the host's agency keeps mcnShareBPS.
func SplitLine(total int64, platformBPS, commissionBPS int, hasHost bool, mcnShareBPS int) Split {
	var s Split
	s.PlatformFee = money.BPS(total, platformBPS)
	if hasHost {
		commission := money.BPS(total, commissionBPS)
		s.MCNShare = money.BPS(commission, mcnShareBPS)
		s.HostCommission = commission - s.MCNShare
	}
	s.MerchantNet = total - s.PlatformFee - s.HostCommission - s.MCNShare
	return s
}
