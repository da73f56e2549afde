package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/liveshop/liveshop/internal/money"
)

// CSV is a report that downloads as a CSV file: a header row, then one
// row per day (per product for a session), money as decimal strings
// beside a currency column.
type CSV interface {
	WriteCSV(w io.Writer) error
	// Filename is the download's name, e.g. shop-<id>-2026-11-01-2026-11-30.csv.
	Filename() string
}

var (
	_ CSV = SessionReport{}
	_ CSV = HostReport{}
	_ CSV = ShopReport{}
	_ CSV = MCNReport{}
	_ CSV = PlatformReport{}
)

// WriteCSV writes one row per product.
func (r SessionReport) WriteCSV(w io.Writer) error {
	rows := [][]string{{"product_id", "title", "clicks", "paid_orders", "units", "gmv", "currency"}}
	for _, p := range r.Products {
		rows = append(rows, []string{p.ProductID, p.Title, itoa(p.Clicks), itoa(p.PaidOrders), itoa(p.Units),
			money.Format(p.GMVMinor, r.Currency), r.Currency})
	}
	return writeAll(w, rows)
}

// Filename implements CSV.
func (r SessionReport) Filename() string { return fmt.Sprintf("session-%s.csv", safe(r.SessionID)) }

// WriteCSV writes one row per day.
func (r HostReport) WriteCSV(w io.Writer) error {
	rows := [][]string{{"day", "sessions", "views", "orders", "gmv", "commission", "mcn_share", "currency"}}
	for _, d := range r.Days {
		rows = append(rows, []string{d.Day, itoa(d.Sessions), itoa(d.Views), itoa(d.Orders), money.Format(d.GMVMinor, r.Currency),
			money.Format(d.CommissionMinor, r.Currency), money.Format(d.MCNShareMinor, r.Currency), r.Currency})
	}
	return writeAll(w, rows)
}

// Filename implements CSV.
func (r HostReport) Filename() string {
	return fmt.Sprintf("host-%s-%s-%s.csv", safe(r.HostID), r.From, r.To)
}

// WriteCSV writes one row per day.
func (r ShopReport) WriteCSV(w io.Writer) error {
	rows := [][]string{{"day", "orders", "units", "gmv", "platform_fee", "commission", "merchant_net", "currency"}}
	for _, d := range r.Days {
		rows = append(rows, []string{d.Day, itoa(d.Orders), itoa(d.Units), money.Format(d.GMVMinor, r.Currency),
			money.Format(d.PlatformFeeMinor, r.Currency), money.Format(d.CommissionMinor, r.Currency),
			money.Format(d.MerchantNetMinor, r.Currency), r.Currency})
	}
	return writeAll(w, rows)
}

// Filename implements CSV.
func (r ShopReport) Filename() string {
	return fmt.Sprintf("shop-%s-%s-%s.csv", safe(r.ShopID), r.From, r.To)
}

// WriteCSV writes one row per day.
func (r MCNReport) WriteCSV(w io.Writer) error {
	rows := [][]string{{"day", "orders", "gmv", "host_commission", "mcn_share", "currency"}}
	for _, d := range r.Days {
		rows = append(rows, []string{d.Day, itoa(d.Orders), money.Format(d.GMVMinor, r.Currency),
			money.Format(d.HostCommissionMinor, r.Currency), money.Format(d.MCNShareMinor, r.Currency), r.Currency})
	}
	return writeAll(w, rows)
}

// Filename implements CSV.
func (r MCNReport) Filename() string {
	return fmt.Sprintf("mcn-%s-%s-%s.csv", safe(r.MCNID), r.From, r.To)
}

// WriteCSV writes one row per day.
func (r PlatformReport) WriteCSV(w io.Writer) error {
	rows := [][]string{{"day", "active_users", "viewing_hours", "sessions_started", "orders", "gmv", "currency"}}
	for _, d := range r.Days {
		rows = append(rows, []string{d.Day, itoa(d.ActiveUsers), strconv.FormatFloat(d.ViewingHours, 'f', 2, 64),
			itoa(d.SessionsStarted), itoa(d.Orders), money.Format(d.GMVMinor, r.Currency), r.Currency})
	}
	return writeAll(w, rows)
}

// Filename implements CSV.
func (r PlatformReport) Filename() string { return fmt.Sprintf("platform-%s-%s.csv", r.From, r.To) }

func writeAll(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	for i, row := range rows {
		for j, cell := range row {
			row[j] = defuse(cell)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("report: csv row %d: %w", i, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: csv: %w", err)
	}
	return nil
}

// defuse keeps a spreadsheet from running a cell as a formula: text that
// starts with = + - @ (a product title, say) gets a leading quote.
// Numbers are written by this package and never start with one of them
// unless negative, which money never is here.
func defuse(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// safe keeps only letters, digits, - and _ of an id for a file name.
func safe(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return r
		}
		return -1
	}, id)
}
