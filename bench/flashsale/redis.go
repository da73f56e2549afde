package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// reserveLua is the industry-standard flash-sale stock gate: one atomic
// script per reservation. KEYS: stock, per-user counts (a hash), the
// idempotency key. ARGV: user, quantity, per-user limit, key TTL in
// seconds. It answers {code, value}:
//
//	 0, remaining   reserved
//	 1, remaining   the key was seen with this quantity: the first answer
//	 2, quantity    the key was seen with another quantity
//	-1, stock       sold out (stock < quantity)
//	-2, bought      above the per-user limit
const reserveLua = `
local prev = redis.call('GET', KEYS[3])
local q = tonumber(ARGV[2])
if prev then
  local sep = string.find(prev, ':', 1, true)
  local pq = tonumber(string.sub(prev, 1, sep - 1))
  if pq ~= q then return {2, pq} end
  return {1, tonumber(string.sub(prev, sep + 1))}
end
local stock = tonumber(redis.call('GET', KEYS[1]) or '0')
if stock < q then return {-1, stock} end
local bought = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if bought + q > tonumber(ARGV[3]) then return {-2, bought} end
local left = redis.call('DECRBY', KEYS[1], q)
redis.call('HINCRBY', KEYS[2], ARGV[1], q)
redis.call('SET', KEYS[3], q .. ':' .. left, 'EX', tonumber(ARGV[4]))
return {0, left}
`

// idemTTL is how long the gate remembers an idempotency key (seconds).
const idemTTL = 3600

// gateKeys are the keys of one sale in Redis.
type gateKeys struct {
	stock, users, idem string // idem is a prefix: + user + ":" + key
	initial            int64
	perUser            int64
}

// redisGate is the Redis + Lua baseline: a stock gate in Redis and the
// HTTP handler in front of it.
type redisGate struct {
	rdb    *redis.Client
	sha    string
	prefix string // of every key this run made
	rounds atomic.Int64
	sale   atomic.Pointer[gateKeys] // the sale POST /reserve sells
}

// newRedisGate connects with a pool of pool connections, loads the
// script and picks a key prefix of its own.
func newRedisGate(addr string, pool int) (*redisGate, error) {
	rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: pool, MinIdleConns: pool,
		DialTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sha, err := rdb.ScriptLoad(ctx, reserveLua).Result()
	if err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis at %s: %w", addr, err)
	}
	return &redisGate{rdb: rdb, sha: sha, prefix: fmt.Sprintf("liveshop-bench-flash:%x:", time.Now().UnixNano())}, nil
}

// version is the Redis server's version, "" if unknown.
func (g *redisGate) version() string {
	info, err := g.rdb.Info(context.Background(), "server").Result()
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "redis_version:"); ok {
			return v
		}
	}
	return ""
}

// newSale stores a fresh sale of stock units under new keys.
func (g *redisGate) newSale(stock, perUser int64) (*gateKeys, error) {
	p := g.prefix + strconv.FormatInt(g.rounds.Add(1), 10) + ":"
	k := &gateKeys{stock: p + "stock", users: p + "users", idem: p + "idem:", initial: stock, perUser: perUser}
	if err := g.rdb.Set(context.Background(), k.stock, stock, 0).Err(); err != nil {
		return nil, fmt.Errorf("redis: new sale: %w", err)
	}
	return k, nil
}

// reserve runs the script once (one EVALSHA).
func (g *redisGate) reserve(ctx context.Context, k *gateKeys, user string, qty int64, key string) (code, val int64, err error) {
	r, err := g.rdb.EvalSha(ctx, g.sha, []string{k.stock, k.users, k.idem + user + ":" + key}, user, qty, k.perUser, idemTTL).Int64Slice()
	if err != nil {
		return 0, 0, err
	}
	if len(r) != 2 {
		return 0, 0, fmt.Errorf("redis: script answered %v", r)
	}
	return r[0], r[1], nil
}

// gateAnswer maps a script answer to the HTTP status and error the
// liveshop API gives for the same case (docs/SELLING.md).
func gateAnswer(code, val, perUser int64) (status int, msg, field string) {
	switch code {
	case 0:
		return http.StatusCreated, "", ""
	case 1:
		return http.StatusOK, "", ""
	case 2:
		return http.StatusConflict, "the idempotency key was used for a different request", "Idempotency-Key"
	case -1:
		return http.StatusConflict, "sold out", "quantity"
	case -2:
		return http.StatusConflict, fmt.Sprintf("above the limit of %d per buyer", perUser), "quantity"
	}
	return http.StatusInternalServerError, fmt.Sprintf("script answered %d", code), ""
}

type reserveReq struct {
	User     string `json:"user"`
	Quantity int64  `json:"quantity"`
}

type reserveResp struct {
	User      string `json:"user"`
	Quantity  int64  `json:"quantity"`
	Remaining int64  `json:"remaining"`
}

// ServeHTTP answers POST /reserve {user, quantity} + Idempotency-Key
// and GET /healthz.
func (g *redisGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/healthz" && r.Method == http.MethodGet:
		w.WriteHeader(http.StatusNoContent)
		return
	case r.URL.Path != "/reserve":
		writeErr(w, http.StatusNotFound, "not found", "")
		return
	case r.Method != http.MethodPost:
		writeErr(w, http.StatusMethodNotAllowed, "use POST", "")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 200 {
		writeErr(w, http.StatusBadRequest, "an Idempotency-Key header of 1–200 characters is required", "Idempotency-Key")
		return
	}
	var in reserveReq
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil {
		writeErr(w, http.StatusBadRequest, "the body is not JSON {user, quantity}", "")
		return
	}
	if in.User == "" || len(in.User) > 200 {
		writeErr(w, http.StatusBadRequest, "user is required", "user")
		return
	}
	if in.Quantity < 1 {
		writeErr(w, http.StatusBadRequest, "quantity must be at least 1", "quantity")
		return
	}
	k := g.sale.Load()
	if k == nil {
		writeErr(w, http.StatusConflict, "the sale has not started", "sale")
		return
	}
	code, val, err := g.reserve(r.Context(), k, in.User, in.Quantity, key)
	if err != nil {
		writeErr(w, http.StatusInternalServerError, "internal error", "")
		return
	}
	status, msg, field := gateAnswer(code, val, k.perUser)
	if status >= 300 {
		writeErr(w, status, msg, field)
		return
	}
	writeJSON(w, status, reserveResp{User: in.User, Quantity: in.Quantity, Remaining: val})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeErr answers in liveshop's error shape.
func writeErr(w http.ResponseWriter, status int, msg, field string) {
	type detail struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	}
	code := map[int]string{400: "invalid", 404: "not_found", 405: "invalid", 409: "conflict"}[status]
	if code == "" {
		code = "internal"
	}
	writeJSON(w, status, struct {
		Error detail `json:"error"`
	}{detail{code, msg, field}})
}

// serve starts the handler on 127.0.0.1:0 and returns its base URL and
// a function stopping it.
func (g *redisGate) serve() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// check verifies a sale after its run: stock never below zero, and what
// was sold (initial − remaining) equals the units of the 201s the buyers
// got (created) and the per-user counts. lost is how many requests got
// no answer (each may or may not have reserved).
func (g *redisGate) check(k *gateKeys, created, lost int) (string, bool) {
	ctx := context.Background()
	left, err := g.rdb.Get(ctx, k.stock).Int64()
	if err != nil {
		return "cannot read stock: " + err.Error(), false
	}
	counts, err := g.rdb.HVals(ctx, k.users).Result()
	if err != nil {
		return "cannot read per-user counts: " + err.Error(), false
	}
	var perUser int64
	for _, c := range counts {
		n, _ := strconv.ParseInt(c, 10, 64)
		perUser += n
	}
	sold := k.initial - left
	switch {
	case left < 0:
		return fmt.Sprintf("OVERSOLD: stock %d", left), false
	case sold != perUser:
		return fmt.Sprintf("MISMATCH: sold %d, per-user counts %d", sold, perUser), false
	case int64(created) > sold || int64(created)+int64(lost) < sold:
		return fmt.Sprintf("MISMATCH: sold %d, %d × 201 (%d unanswered)", sold, created, lost), false
	}
	return fmt.Sprintf("ok: sold %d = %d × 201, %d left", sold, created, left), true
}

// cleanup deletes every key this run made.
func (g *redisGate) cleanup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var cursor uint64
	var errs []error
	for {
		keys, next, err := g.rdb.Scan(ctx, cursor, g.prefix+"*", 5000).Result()
		if err != nil {
			errs = append(errs, err)
			break
		}
		if len(keys) > 0 {
			if err := g.rdb.Unlink(ctx, keys...).Err(); err != nil {
				errs = append(errs, err)
			}
		}
		if cursor = next; cursor == 0 {
			break
		}
	}
	return errors.Join(append(errs, g.rdb.Close())...)
}

// direct is a reserveFunc calling the script straight from this
// process's Go client, without HTTP: the anchor's setting.
func (g *redisGate) direct(k *gateKeys) reserveFunc {
	return func(buyer int, key string) (int, string) {
		code, val, err := g.reserve(context.Background(), k, "u"+strconv.Itoa(buyer), 1, key)
		if err != nil {
			return 0, err.Error()
		}
		status, msg, _ := gateAnswer(code, val, k.perUser)
		return status, msg
	}
}
