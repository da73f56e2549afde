package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/store"
)

// TestCatalogImport moves a store's catalog in from CSV: progress is
// visible, good rows become products, bad rows are reported by line.
func TestCatalogImport(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testCatalogImport(t, d) })
	}
}

func testCatalogImport(t *testing.T, d store.Dialect) {
	p := bootPlatform(t, d, "standard")
	var csv strings.Builder
	csv.WriteString("product_ref,title,category,tags,sku_code,attributes,price,stock\n")
	const good = 120
	for i := 0; i < good; i++ {
		fmt.Fprintf(&csv, "p%d,Product %d,food,imported,IMP-%d-A,size=S,%d.50,%d\n", i, i, i, 10+i, i)
		fmt.Fprintf(&csv, "p%d,Product %d,food,imported,IMP-%d-B,size=L,%d.90,%d\n", i, i, i, 12+i, i)
	}
	csv.WriteString("bad,Bad price,food,,IMP-BAD,,ten yuan,1\n")
	csv.WriteString("dup,Duplicate code,food,,RICE-5KG,,1.00,1\n") // the code of the product bootPlatform made

	job := p.merchant.Must(202, "POST", "/api/v1/shops/"+p.shopID+"/imports", fileUpload(t, "file", "catalog.csv", []byte(csv.String()))).Map(t)
	if job["total"].(float64) != good+2 || job["status"] != "running" {
		t.Fatalf("import job = %v", job)
	}
	id := job["id"].(string)
	deadline := time.Now().Add(60 * time.Second)
	for job["status"] == "running" {
		if time.Now().After(deadline) {
			t.Fatalf("import still running after 60s: %v", job)
		}
		time.Sleep(100 * time.Millisecond)
		job = p.merchant.Must(200, "GET", "/api/v1/imports/"+id, nil).Map(t)
	}
	if job["status"] != "done" || job["created"].(float64) != good || job["processed"].(float64) != good+2 {
		t.Fatalf("finished import = %v", job)
	}
	errs := job["errors"].([]any)
	if len(errs) != 2 {
		t.Fatalf("row errors = %v", errs)
	}
	first := errs[0].(map[string]any)
	if first["field"] != "price" || first["row"].(float64) != 2*good+2 {
		t.Fatalf("bad-price error = %v", first)
	}
	if second := errs[1].(map[string]any); !strings.Contains(second["message"].(string), "already used") {
		t.Fatalf("duplicate-code error = %v", second)
	}

	// The products are there, each with its two SKUs, and listing pages through all of them.
	seen, cursor := 0, ""
	for {
		page := p.merchant.Must(200, "GET", "/api/v1/products?shop_id="+p.shopID+"&limit=50&cursor="+cursor, nil).Map(t)
		for _, it := range page["items"].([]any) {
			if len(it.(map[string]any)["skus"].([]any)) == 2 {
				seen++
			}
		}
		cursor, _ = page["next_cursor"].(string)
		if cursor == "" {
			break
		}
	}
	if seen != good {
		t.Fatalf("listed %d imported products, want %d", seen, good)
	}

	// Another shop's member cannot read the import; a non-CSV file is refused.
	other := p.srv.Client()
	other.SignUp(uniqueEmail("nosy"), "nosy-password")
	other.Must(403, "GET", "/api/v1/imports/"+id, nil)
	r := p.merchant.Do("POST", "/api/v1/shops/"+p.shopID+"/imports", fileUpload(t, "file", "catalog.xlsx", []byte("PK...")))
	if code, field := r.ErrorField(t); r.Status != 415 || code != "unsupported" || field != "file" {
		t.Fatalf("xlsx import: %d %s", r.Status, r.Body)
	}
}
