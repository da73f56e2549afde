// Command feed measures the personal feed (docs/FEED.md): a viewer who
// follows 1,000 hosts among 10,000 live rooms asks for a feed many times;
// it reports Feed() latency percentiles on SQLite and PostgreSQL, with the
// viewer's features cached (the usual case: a page refreshing every 15 s
// within the 30 s cache) and read from the database on every call, and
// the time to rebuild the room index. The Feed() calls run while the
// index refreshes every 2 s in the background, as in the server.
//
//	go run ./bench/feed -db sqlite -db postgres
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/feed"
	"github.com/liveshop/liveshop/internal/store"
)

type dbList []string

func (d *dbList) String() string     { return strings.Join(*d, ",") }
func (d *dbList) Set(v string) error { *d = append(*d, v); return nil }

type options struct {
	rooms, upcoming, follows, fans, calls, limit int
	pg                                           string
	seedOnly                                     bool
}

func main() {
	var dbs dbList
	var o options
	flag.Var(&dbs, "db", "sqlite or postgres (repeat for both; default both)")
	flag.IntVar(&o.rooms, "rooms", 10_000, "live rooms, each with its own host")
	flag.IntVar(&o.upcoming, "upcoming", 1_000, "rooms scheduled within the week")
	flag.IntVar(&o.follows, "follows", 1_000, "hosts the viewer follows")
	flag.IntVar(&o.fans, "fans", 2_000, "other users, each following 5 random hosts")
	flag.IntVar(&o.calls, "calls", 1_000, "Feed() calls per measurement")
	flag.IntVar(&o.limit, "limit", 30, "items per feed")
	flag.StringVar(&o.pg, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL base URL (a schema is created and dropped)")
	flag.BoolVar(&o.seedOnly, "seed-only", false, "seed, print the database address and keep it (to look at query plans)")
	flag.Parse()
	if len(dbs) == 0 {
		dbs = dbList{"sqlite", "postgres"}
	}
	fmt.Printf("feed benchmark: %d live rooms + %d upcoming, viewer follows %d hosts, %d fans, %d calls per row, limit %d\n\n",
		o.rooms, o.upcoming, o.follows, o.fans, o.calls, o.limit)
	fmt.Printf("%-9s %-32s %9s %9s %9s %9s\n", "db", "measure", "p50", "p90", "p99", "max")
	for _, d := range dbs {
		if err := run(d, o); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", d, err)
			os.Exit(1)
		}
	}
}

func run(dialect string, o options) error {
	ctx := context.Background()
	dsn, cleanup, err := freshDatabase(ctx, dialect, o.pg)
	if err != nil {
		return err
	}
	defer cleanup()
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	driver := "sqlite"
	if dialect == "postgres" {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, sqliteFile(dialect, dsn))
	if err != nil {
		return err
	}
	seedStart := time.Now()
	viewerID, err := seed(ctx, raw, o, time.Now())
	raw.Close()
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Printf("%-9s %-32s %9s\n", dialect, "seeded in", time.Since(seedStart).Round(time.Millisecond))
	if o.seedOnly {
		fmt.Printf("%-9s kept at %s\n", dialect, dsn)
		os.Exit(0) // skips the cleanup on purpose
	}

	svc := feed.NewService(feed.Config{Repo: st, RefreshEvery: time.Hour})
	var refresh []time.Duration
	for range 10 {
		t := time.Now()
		if err := svc.Refresh(ctx); err != nil {
			return err
		}
		refresh = append(refresh, time.Since(t))
	}
	report(dialect, "index rebuild", refresh)
	if err := timeQueries(ctx, dialect, st); err != nil {
		return err
	}

	// From here the index refreshes every 2 s in the background, as in
	// the server, so that the calls below share the CPU with it.
	bg, stop := context.WithCancel(ctx)
	defer stop()
	svc = feed.NewService(feed.Config{Repo: st})
	go svc.Run(bg)
	viewer := account.Actor{User: &account.User{ID: viewerID}}
	measure := func(name string, s *feed.Service, a account.Actor, anon string) error {
		if _, err := s.Feed(ctx, a, anon, o.limit); err != nil { // warm the index and the cache
			return err
		}
		lat := make([]time.Duration, 0, o.calls)
		for range o.calls {
			t := time.Now()
			f, err := s.Feed(ctx, a, anon, o.limit)
			if err != nil {
				return err
			}
			lat = append(lat, time.Since(t))
			if len(f.Items) != o.limit {
				return fmt.Errorf("%s: %d items", name, len(f.Items))
			}
		}
		report(dialect, name, lat)
		return nil
	}
	if err := measure("Feed, features cached", svc, viewer, ""); err != nil {
		return err
	}
	if err := measure("Feed, anonymous", svc, account.Actor{}, "bench-visitor"); err != nil {
		return err
	}
	stop()
	// A TTL of a nanosecond reads the viewer's 1,000 follows on every call.
	bg, stop = context.WithCancel(ctx)
	defer stop()
	cold := feed.NewService(feed.Config{Repo: st, ViewerTTL: time.Nanosecond})
	go cold.Run(bg)
	return measure("Feed, features from the db", cold, viewer, "")
}

// timeQueries times each query of an index rebuild on its own.
func timeQueries(ctx context.Context, dialect string, st *store.Store) error {
	now := time.Now()
	from, until := now.Add(-feed.StaleScheduled), now.Add(feed.DefaultWindow)
	queries := []struct {
		name string
		run  func() error
	}{
		{"  query: rooms", func() error { _, err := st.FeedRooms(ctx, from, until); return err }},
		{"  query: room stats", func() error { _, err := st.FeedRoomStats(ctx, now.Add(-feed.ViewersFresh)); return err }},
		{"  query: host stats (every 30 s)", func() error { _, err := st.FeedHostStats(ctx, from, until); return err }},
	}
	for _, q := range queries {
		var lat []time.Duration
		for range 5 {
			t := time.Now()
			if err := q.run(); err != nil {
				return err
			}
			lat = append(lat, time.Since(t))
		}
		report(dialect, q.name, lat)
	}
	return nil
}

// report prints percentiles of lat.
func report(db, name string, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		i := int(p*float64(len(lat))+0.5) - 1
		return lat[min(max(i, 0), len(lat)-1)]
	}
	r := func(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
	fmt.Printf("%-9s %-32s %9s %9s %9s %9s\n", db, name, r(pct(0.50)), r(pct(0.90)), r(pct(0.99)), r(lat[len(lat)-1]))
}

// freshDatabase makes an empty SQLite file or PostgreSQL schema.
func freshDatabase(ctx context.Context, dialect, pgBase string) (dsn string, cleanup func(), err error) {
	if dialect == "sqlite" {
		dir, err := os.MkdirTemp("", "bench-feed")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "liveshop.db"), func() { os.RemoveAll(dir) }, nil
	}
	if dialect != "postgres" {
		return "", nil, fmt.Errorf("unknown -db %q", dialect)
	}
	admin, err := sql.Open("pgx", pgBase)
	if err != nil {
		return "", nil, err
	}
	schema := fmt.Sprintf("bench_feed_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("PostgreSQL at %s: %w", pgBase, err)
	}
	sep := "?"
	if strings.Contains(pgBase, "?") {
		sep = "&"
	}
	return pgBase + sep + "search_path=" + schema, func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	}, nil
}

// sqliteFile is the DSN database/sql takes for the seeding connection.
func sqliteFile(dialect, dsn string) string {
	if dialect == "sqlite" {
		return "file:" + dsn + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"
	}
	return dsn
}

var (
	categories = []string{"food", "fresh_produce", "fashion", "beauty", "home", "electronics", "crafts", "health", "kids"}
	regions    = []string{"Jilin", "Hebei", "Yunnan", "Sichuan", "Zhejiang", "Guangdong", "Shandong", "Henan", "Hunan", "Gansu"}
)

// seed writes the world in one transaction with multi-row INSERTs and
// returns the viewer's id.
func seed(ctx context.Context, db *sql.DB, o options, now time.Time) (string, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	ms := now.UnixMilli()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	b := &bulk{ctx: ctx, tx: tx}

	const viewer = "usr_viewer"
	b.rows(`INSERT INTO users (id, email, password_hash, display_name, created_at) VALUES`, 5, func(add func(...any)) {
		add(viewer, "viewer@bench", "x", "Viewer", ms)
		for i := range o.rooms + o.upcoming {
			add(fmt.Sprintf("usr_host%05d", i), fmt.Sprintf("host%d@bench", i), "x", fmt.Sprintf("Host %d", i), ms)
		}
		for i := range o.fans {
			add(fmt.Sprintf("usr_fan%05d", i), fmt.Sprintf("fan%d@bench", i), "x", "Fan", ms)
		}
	})
	shops := max(1, (o.rooms+o.upcoming)/10)
	b.rows(`INSERT INTO shops (id, owner_id, name, category, region, county, programme, status, created_at) VALUES`, 9, func(add func(...any)) {
		for i := range shops {
			programme, county := "standard", ""
			if i%7 == 0 {
				programme, county = "rural", fmt.Sprintf("County %d", i%13)
			}
			add(fmt.Sprintf("shp_%05d", i), "usr_host00000", fmt.Sprintf("Shop %d", i), categories[i%len(categories)],
				regions[i%len(regions)], county, programme, "approved", ms)
		}
	})
	b.rows(`INSERT INTO live_sessions (id, shop_id, host_id, title, planned_start, status, started_at, stream_key, stream_key_hash, likes, created_at) VALUES`, 11, func(add func(...any)) {
		for i := range o.rooms + o.upcoming {
			id := fmt.Sprintf("ses_%05d", i)
			if i < o.rooms {
				started := ms - rng.Int64N(3*3600_000)
				add(id, fmt.Sprintf("shp_%05d", i%shops), fmt.Sprintf("usr_host%05d", i), "Room "+id, started, "live", started, "k"+id, "h"+id, rng.Int64N(5000), ms)
			} else {
				add(id, fmt.Sprintf("shp_%05d", i%shops), fmt.Sprintf("usr_host%05d", i), "Room "+id, ms+rng.Int64N(7*86400_000), "scheduled", nil, "k"+id, "h"+id, 0, ms)
			}
		}
	})
	b.rows(`INSERT INTO analytics_room_viewers (session_id, node, viewers, reported_at) VALUES`, 4, func(add func(...any)) {
		for i := range o.rooms {
			// Few big rooms, many small ones.
			add(fmt.Sprintf("ses_%05d", i), "n1", int64(1+10_000/(1+rng.IntN(2000))), ms)
		}
	})
	b.rows(`INSERT INTO analytics_room_totals (session_id, views, likes, paid_orders, updated_at) VALUES`, 5, func(add func(...any)) {
		for i := range o.rooms {
			views := rng.Int64N(20_000)
			add(fmt.Sprintf("ses_%05d", i), views, rng.Int64N(50_000), views/int64(20+rng.IntN(200)), ms)
		}
	})
	b.rows(`INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES`, 4, func(add func(...any)) {
		for _, h := range rng.Perm(o.rooms)[:min(o.follows, o.rooms)] {
			add(viewer, "host", fmt.Sprintf("usr_host%05d", h), ms)
		}
		for f := range o.fans {
			for _, h := range rng.Perm(o.rooms)[:5] {
				add(fmt.Sprintf("usr_fan%05d", f), "host", fmt.Sprintf("usr_host%05d", h), ms)
			}
		}
	})
	b.rows(`INSERT INTO analytics_user_categories (user_id, category, views, orders, updated_at) VALUES`, 5, func(add func(...any)) {
		for i, c := range categories[:5] {
			add(viewer, c, int64(40/(i+1)), int64(i%2), ms)
		}
	})
	b.rows(`INSERT INTO addresses (id, user_id, name, phone, line1, city, region, country, is_default, created_at) VALUES`, 10, func(add func(...any)) {
		add("adr_viewer", viewer, "V", "1", "L", "Changchun", "Jilin", "CN", true, ms)
	})
	if b.err != nil {
		return "", b.err
	}
	return viewer, tx.Commit()
}

// bulk writes rows as multi-row INSERTs of at most 500 rows.
type bulk struct {
	ctx context.Context
	tx  *sql.Tx
	err error
}

func (b *bulk) rows(insert string, cols int, gen func(add func(...any))) {
	if b.err != nil {
		return
	}
	var args []any
	n := 0
	flush := func() {
		if n == 0 || b.err != nil {
			return
		}
		var sb strings.Builder
		sb.WriteString(insert)
		for r := range n {
			if r > 0 {
				sb.WriteString(",")
			}
			sb.WriteString(" (")
			for c := range cols {
				if c > 0 {
					sb.WriteString(", ")
				}
				fmt.Fprintf(&sb, "$%d", r*cols+c+1)
			}
			sb.WriteString(")")
		}
		if _, err := b.tx.ExecContext(b.ctx, sb.String(), args...); err != nil {
			b.err = fmt.Errorf("%s: %w", insert, err)
		}
		args, n = args[:0], 0
	}
	gen(func(vals ...any) {
		args = append(args, vals...)
		n++
		if n == 500 {
			flush()
		}
	})
	flush()
}
