package catalog

import (
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/apperr"
)

func TestParseImportCSV(t *testing.T) {
	csv := "product_ref,title,description,category,tags,commission_bps,sku_code,attributes,price,currency,stock\n" +
		"rice,五常大米,New harvest,food,rice|rural,1500,RICE-2.5,weight=2.5 kg,59.90,CNY,800\n" +
		"rice,五常大米,,,,,RICE-5,weight=5 kg,109,CNY,400\n" +
		"tea,Tea set,,home,,,TEA-1,colour=blue;size=6 cups,128.5,,10\n" +
		"bad,Bad price,,,,,B1,,12.345,CNY,1\n" +
		"bad2,Bad stock,,,,,B2,,1,CNY,many\n" +
		"neg,Negative,,,,,N1,,-1,CNY,1\n"
	rows, err := ParseImport("csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("got %d products, want 5", len(rows))
	}
	rice := rows[0]
	if rice.Err != nil || rice.Product.Title != "五常大米" || len(rice.Product.SKUs) != 2 || rice.Product.CommissionBPS != 1500 {
		t.Fatalf("rice = %+v", rice)
	}
	if rice.Product.SKUs[0].PriceMinor != 5990 || rice.Product.SKUs[1].PriceMinor != 10900 || rice.Product.SKUs[0].Attributes["weight"] != "2.5 kg" {
		t.Fatalf("rice SKUs = %+v", rice.Product.SKUs)
	}
	if got := strings.Join(rice.Product.Tags, ","); got != "rice,rural" {
		t.Fatalf("tags = %q", got)
	}
	tea := rows[1]
	if tea.Err != nil || tea.Product.SKUs[0].PriceMinor != 12850 || tea.Product.SKUs[0].Currency != "CNY" || tea.Product.SKUs[0].Attributes["size"] != "6 cups" {
		t.Fatalf("tea = %+v", tea)
	}
	tests := []struct {
		row   int
		field string
	}{{2, "price"}, {3, "stock"}, {4, "skus[0].price_minor"}}
	for _, tt := range tests {
		r := rows[tt.row]
		if r.Err == nil || r.Err.Field != tt.field || r.Err.Row == 0 {
			t.Errorf("row %d: error %+v, want field %s", tt.row, r.Err, tt.field)
		}
	}
}

func TestParseImportFileErrors(t *testing.T) {
	tests := []struct {
		name, format, data string
		code, field        string
	}{
		{"unknown format", "xml", "<x/>", apperr.Invalid, "format"},
		{"csv without the price column", "csv", "title,sku_code,stock\nA,B,1\n", apperr.Invalid, "file"},
		{"empty csv", "csv", "", apperr.Invalid, "file"},
		{"header only", "csv", strings.Join(CSVColumns, ",") + "\n", apperr.Invalid, "file"},
		{"json not an array", "json", `{"title":"x"}`, apperr.Invalid, "file"},
		{"too big", "json", "[" + strings.Repeat(" ", MaxImportBytes) + "]", apperr.TooLarge, "file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseImport(tt.format, []byte(tt.data))
			e, ok := apperr.As(err)
			if !ok || e.Code != tt.code || e.Field != tt.field {
				t.Fatalf("err = %v, want %s on %s", err, tt.code, tt.field)
			}
		})
	}
}

func TestParseImportJSON(t *testing.T) {
	rows, err := ParseImport("json", []byte(`[
		{"title": "Goji", "skus": [{"code": "G1", "price_minor": 3900, "stock": 5}]},
		{"title": "No SKUs", "skus": []},
		{"title": "Typo", "skuz": []}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Err != nil || rows[0].Product.SKUs[0].PriceMinor != 3900 {
		t.Fatalf("row 1 = %+v", rows[0])
	}
	if rows[1].Err == nil || rows[1].Err.Field != "skus" || rows[1].Err.Row != 2 {
		t.Fatalf("row 2 = %+v", rows[1].Err)
	}
	if rows[2].Err == nil || !strings.Contains(rows[2].Err.Message, "skuz") {
		t.Fatalf("row 3 = %+v", rows[2].Err)
	}
}
