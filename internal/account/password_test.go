package account

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		hash, password string
		want           bool
	}{
		{h, "correct horse battery", true},
		{h, "correct horse batterY", false},
		{h, "", false},
		{"$argon2id$v=19$m=1,t=1,p=1$bad$bad", "x", false},
		{"plaintext", "plaintext", false},
	}
	for _, tt := range tests {
		if got := CheckPassword(tt.hash, tt.password); got != tt.want {
			t.Errorf("CheckPassword(%q, %q) = %v", tt.hash, tt.password, got)
		}
	}
}

func TestSignUpValidation(t *testing.T) {
	tests := []struct {
		in    SignUpInput
		field string
	}{
		{SignUpInput{Email: "", Password: "longenough"}, "email"},
		{SignUpInput{Email: "not-an-email", Password: "longenough"}, "email"},
		{SignUpInput{Email: "Lin <lin@example.com>", Password: "longenough"}, "email"},
		{SignUpInput{Email: "lin@example.com", Password: "short"}, "password"},
		{SignUpInput{Email: "lin@example.com", Password: "longenough", DisplayName: strings.Repeat("名", 61)}, "display_name"},
		{SignUpInput{Email: " Lin@Example.COM ", Password: "longenough"}, ""},
	}
	for _, tt := range tests {
		err := tt.in.Validate()
		got := ""
		if err != nil {
			got = err.(interface{ Error() string }).Error()
		}
		if tt.field == "" && err != nil {
			t.Errorf("%+v: unexpected %v", tt.in, err)
		}
		if tt.field != "" && (err == nil || !strings.Contains(got, "field "+tt.field)) {
			t.Errorf("%+v: error %q, want field %s", tt.in, got, tt.field)
		}
	}
	in := SignUpInput{Email: " Lin@Example.COM ", Password: "longenough"}
	in.Validate()
	if in.Email != "lin@example.com" || in.DisplayName != "lin" {
		t.Fatalf("normalised to %+v", in)
	}
}
