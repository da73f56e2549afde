package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/store"
)

func migrate(ctx context.Context, args []string) error {
	var c config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	commonFlags(fs, &c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.resolve(); err != nil {
		return err
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Printf("migrated %s database\n", s.Dialect())
	return nil
}

func admin(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create-user" {
		return usageError{"admin: the only subcommand is create-user"}
	}
	var c config
	var email, password, name string
	var isAdmin, isHost bool
	fs := flag.NewFlagSet("admin create-user", flag.ContinueOnError)
	commonFlags(fs, &c)
	fs.StringVar(&email, "email", "", "the new user's email (required)")
	fs.StringVar(&password, "password", "", "the new user's password, at least 8 characters (required)")
	fs.StringVar(&name, "name", "", "display name")
	fs.BoolVar(&isAdmin, "admin", false, "make the user a platform admin")
	fs.BoolVar(&isHost, "host", false, "make the user a host")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if email == "" {
		return usageError{"--email is required"}
	}
	if password == "" {
		return usageError{"--password is required"}
	}
	if err := c.resolve(); err != nil {
		return err
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	return createUser(ctx, s, email, password, name, isAdmin, isHost)
}

func createUser(ctx context.Context, s *store.Store, email, password, name string, isAdmin, isHost bool) error {
	accounts := account.NewService(s, time.Now)
	u, err := accounts.SignUp(ctx, account.SignUpInput{Email: email, Password: password, DisplayName: name})
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		return usageError{fmt.Sprintf("--%s: %s", e.Field, e.Message)}
	}
	if err != nil {
		return err
	}
	if isAdmin {
		if err := accounts.SetAdmin(ctx, account.System(), u.ID, true); err != nil {
			return err
		}
	}
	if isHost {
		if err := s.SetUserFlags(ctx, u.ID, nil, &isHost); err != nil {
			return err
		}
	}
	fmt.Printf("created user %s (%s)%s%s\n", u.Email, u.ID, map[bool]string{true: " admin"}[isAdmin], map[bool]string{true: " host"}[isHost])
	return nil
}
