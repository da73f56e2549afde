package testcluster

import (
	"database/sql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"testing"
)

func TestPostgresCrashAndRestart(t *testing.T) {
	p, err := StartPostgres(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.CreateDatabase("x1"); err != nil {
		t.Fatal(err)
	}
	db, _ := sql.Open("pgx", p.DSN("x1"))
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	if err := p.Crash(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err == nil {
		t.Fatal("ping after crash ok")
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
}
