package repo_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/repo"
)

// templateRepos are the fixture repositories of templates and nginx
// inside YAML. Until discovery reads them, this test feeds each templated
// file and each YAML string to the analyzer itself, through the same
// neutralization, and checks the findings their want.json states.
var templateRepos = []string{"ansible-j2", "helm-configmap", "k8s-configmap", "gotemplate-if", "envsubst-templates", "erb-vhost", "template-errors"}

func TestTemplateRepositories(t *testing.T) {
	for _, name := range templateRepos {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("../testdata/repos", name)
			b, err := os.ReadFile(filepath.Join(dir, "want.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want struct{ Findings, Errors []string }
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			var got, gotErrs []string
			analyze := func(rel string, text []byte) {
				res := nginxcheck.AnalyzeDump(strings.NewReader("# configuration file "+rel+":\n"+string(text)), nginxcheck.Options{})
				for _, f := range res.Findings {
					got = append(got, fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Rule))
				}
				for _, e := range res.Errors {
					gotErrs = append(gotErrs, fmt.Sprintf("%s:%d %s", e.File, e.Line, e.Message))
				}
			}
			err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || d.Name() == "want.json" {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				src, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if ext := filepath.Ext(p); ext == ".yaml" || ext == ".yml" {
					found, _, err := repo.ExtractYAML(p, src)
					if err != nil {
						gotErrs = append(gotErrs, fmt.Sprintf("%s %v", rel, err))
					}
					for _, e := range found {
						analyze(rel, e.Text)
					}
					return nil
				}
				nz, err := repo.ReadTemplate(p, src)
				var te *repo.TemplateError
				switch {
				case errorsAs(err, &te):
					gotErrs = append(gotErrs, fmt.Sprintf("%s:%d %s", rel, te.Line, te.Reason()))
				case err != nil:
					return err
				default:
					analyze(rel, nz.Text)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			slices.Sort(want.Findings)
			if !slices.Equal(got, want.Findings) {
				t.Errorf("findings:\n got  %q\n want %q", got, want.Findings)
			}
			if !slices.Equal(gotErrs, want.Errors) && len(gotErrs)+len(want.Errors) > 0 {
				t.Errorf("errors:\n got  %q\n want %q", gotErrs, want.Errors)
			}
		})
	}
}

func errorsAs(err error, target any) bool { return err != nil && errors.As(err, target) }
