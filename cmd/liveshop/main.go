// Command liveshop runs the live-commerce platform: one binary that serves
// the web app, the API and (in later releases) live video, on SQLite by
// default or PostgreSQL when scaled out.
//
// This is the only package that reads flags and wires packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `liveshop — live commerce in one binary

Usage:
  liveshop serve   [flags]   run the platform
  liveshop demo    [flags]   run the platform with demo shops, products and users
  liveshop migrate [flags]   apply database migrations and exit
  liveshop nats    [flags]   run one member of a NATS cluster with JetStream, for --nats
  liveshop admin create-user --email E --password P [--name N] [--admin] [--host]
  liveshop version

Run "liveshop <command> -h" for the flags of a command. Every flag can also be
set in the environment: --public-url is LIVESHOP_PUBLIC_URL, and so on.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(os.Stderr, "liveshop:", err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "liveshop:", err)
		os.Exit(1)
	}
}

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return usageError{"no command given"}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], false)
	case "demo":
		return serve(ctx, args[1:], true)
	case "migrate":
		return migrate(ctx, args[1:])
	case "admin":
		return admin(ctx, args[1:])
	case "nats":
		return natsServer(ctx, args[1:])
	case "version", "--version", "-v":
		fmt.Println("liveshop", version)
		return nil
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}
