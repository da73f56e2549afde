package catalog

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/money"
)

// ImportRow is one product read from an import file, or the error that
// stopped it. Row is the 1-based line (CSV) or array index + 1 (JSON).
type ImportRow struct {
	Row     int
	Product NewProduct
	Err     *RowError
}

// RowError is a problem with one row of an import.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Limits on one import file.
const (
	MaxImportBytes    = 10 << 20
	MaxImportProducts = 5000
)

// CSVColumns are the columns of a CSV import. Rows with the same
// product_ref are SKUs of one product; the product's fields come from its
// first row.
var CSVColumns = []string{"product_ref", "title", "description", "category", "tags", "commission_bps",
	"sku_code", "attributes", "price", "currency", "stock"}

// ParseImport reads a CSV or JSON catalog export. A file that cannot be
// read at all is an error; a bad row is reported in its ImportRow.
func ParseImport(format string, data []byte) ([]ImportRow, error) {
	if len(data) > MaxImportBytes {
		return nil, &apperr.Error{Code: apperr.TooLarge, Field: "file", Message: fmt.Sprintf("import files are at most %d MiB", MaxImportBytes>>20)}
	}
	var rows []ImportRow
	var err error
	switch format {
	case "csv":
		rows, err = parseCSV(data)
	case "json":
		rows, err = parseJSON(data)
	default:
		return nil, apperr.Field("format", "format must be csv or json")
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.Field("file", "the file holds no products")
	}
	if len(rows) > MaxImportProducts {
		return nil, apperr.Field("file", "at most %d products per import; split the file", MaxImportProducts)
	}
	for i := range rows {
		if rows[i].Err != nil {
			continue
		}
		if err := rows[i].Product.Validate(); err != nil {
			e, _ := apperr.As(err)
			rows[i].Err = &RowError{Row: rows[i].Row, Field: e.Field, Message: e.Message}
		}
	}
	return rows, nil
}

func parseJSON(data []byte) ([]ImportRow, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, apperr.Field("file", "the JSON file must be an array of products: %v", err)
	}
	rows := make([]ImportRow, len(items))
	for i, raw := range items {
		rows[i].Row = i + 1
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rows[i].Product); err != nil {
			rows[i].Err = &RowError{Row: i + 1, Message: "not a product: " + err.Error()}
		}
	}
	return rows, nil
}

func parseCSV(data []byte) ([]ImportRow, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, apperr.Field("file", "the CSV file has no header row")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"title", "sku_code", "price", "stock"} {
		if _, ok := col[need]; !ok {
			return nil, apperr.Field("file", "the CSV header lacks the %q column; columns are %s", need, strings.Join(CSVColumns, ","))
		}
	}
	get := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var rows []ImportRow
	byRef := map[string]int{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			rows = append(rows, ImportRow{Row: line, Err: &RowError{Row: line, Message: "unreadable CSV: " + err.Error()}})
			continue
		}
		sku, rowErr := csvSKU(rec, get, line)
		ref := get(rec, "product_ref")
		if ref == "" {
			ref = "title:" + get(rec, "title")
		}
		idx, seen := byRef[ref]
		if !seen {
			p := NewProduct{Title: get(rec, "title"), Description: get(rec, "description"), Category: get(rec, "category"),
				ExternalRef: get(rec, "product_ref")}
			if tags := get(rec, "tags"); tags != "" {
				p.Tags = strings.Split(tags, "|")
			}
			if c := get(rec, "commission_bps"); c != "" {
				n, err := strconv.Atoi(c)
				if err != nil && rowErr == nil {
					rowErr = &RowError{Row: line, Field: "commission_bps", Message: "commission_bps must be a whole number"}
				}
				p.CommissionBPS = n
			}
			rows = append(rows, ImportRow{Row: line, Product: p})
			idx = len(rows) - 1
			byRef[ref] = idx
		}
		if rowErr != nil && rows[idx].Err == nil {
			rows[idx].Err = rowErr
		}
		rows[idx].Product.SKUs = append(rows[idx].Product.SKUs, sku)
	}
	return rows, nil
}

func csvSKU(rec []string, get func([]string, string) string, line int) (NewSKU, *RowError) {
	s := NewSKU{Code: get(rec, "sku_code"), Currency: get(rec, "currency"), Attributes: map[string]string{}}
	if s.Currency == "" {
		s.Currency = money.DefaultCurrency
	}
	price, err := money.Parse(get(rec, "price"), s.Currency)
	if err != nil {
		return s, &RowError{Row: line, Field: "price", Message: fmt.Sprintf("price %q is not an amount in %s", get(rec, "price"), s.Currency)}
	}
	s.PriceMinor = price
	stock, err := strconv.Atoi(get(rec, "stock"))
	if err != nil {
		return s, &RowError{Row: line, Field: "stock", Message: fmt.Sprintf("stock %q is not a whole number", get(rec, "stock"))}
	}
	s.Stock = stock
	if attrs := get(rec, "attributes"); attrs != "" {
		for _, kv := range strings.Split(attrs, ";") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return s, &RowError{Row: line, Field: "attributes", Message: "attributes are name=value pairs separated by ;"}
			}
			s.Attributes[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return s, nil
}
