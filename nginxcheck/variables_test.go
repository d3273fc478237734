package nginxcheck

import (
	"slices"
	"strings"
	"testing"
)

func referenceVariables(value string) []string {
	var out []string
	for _, m := range varRef.FindAllStringSubmatch(value, -1) {
		out = append(out, strings.ToLower(m[1]+m[2]))
	}
	return out
}

var variableSeeds = []string{
	"$http_upgrade", "${http_upgrade}", "$a$b", "${a}${B}", "x$host:$server_port", "${", "${}", "$", "$$a", "${a", "${a b}",
	"${a}b", "$A_1-x", "a$", "$-", "${a}}", "$${a}", "text", "", "${${a}}", "$a{b}",
}

// TestVariables: the loop reads references as varRef does.
func TestVariables(t *testing.T) {
	for _, v := range variableSeeds {
		if got, want := variables(v), referenceVariables(v); !slices.Equal(got, want) {
			t.Errorf("%q: %q, varRef reads %q", v, got, want)
		}
	}
}

func FuzzVariables(f *testing.F) {
	for _, v := range variableSeeds {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := variables(v), referenceVariables(v); !slices.Equal(got, want) {
			t.Errorf("%q: %q, varRef reads %q", v, got, want)
		}
	})
}
