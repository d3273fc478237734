package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/wscheck/wscheck/apachecheck"
	"github.com/wscheck/wscheck/gocheck"
	"github.com/wscheck/wscheck/haproxycheck"
	"github.com/wscheck/wscheck/k8scheck"
	"github.com/wscheck/wscheck/nginxcheck"
	"github.com/wscheck/wscheck/report"
)

// allRules is every rule of both halves, in the order they are listed.
func allRules() report.Rules {
	var rs report.Rules
	rs = append(rs, nginxcheck.Rules()...)
	rs = append(rs, haproxycheck.Rules()...)
	rs = append(rs, apachecheck.Rules()...)
	rs = append(rs, k8scheck.Rules()...)
	rs = append(rs, gocheck.Rules()...)
	return rs
}

func runRules(args []string, e *env) int {
	fs := newFlagSet("rules")
	format := fs.String("format", "text", "text or markdown (the README's rule table)")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	switch *format {
	case "text":
		// Columns as wide as their longest entry, so a long rule name
		// does not push its row out of line.
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		for _, r := range allRules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Half, r.Severity, r.Title)
		}
		if err := tw.Flush(); err != nil {
			return usageError(e, "rules", err)
		}
	case "markdown":
		fmt.Fprintln(e.stdout, "| rule | half | severity | what it finds |")
		fmt.Fprintln(e.stdout, "|---|---|---|---|")
		for _, r := range allRules() {
			fmt.Fprintf(e.stdout, "| `%s` | %s | %s | %s |\n", r.Name, strings.Join(r.Halves(), ", "), r.Severity, r.Title)
		}
	default:
		return usageError(e, "rules", fmt.Errorf("--format: unknown format %q (want text or markdown)", *format))
	}
	return 0
}

func runExplain(args []string, e *env) int {
	fs := newFlagSet("explain")
	// The flags of `wscheck nginx` apply to the FILE:LINE form.
	var out outputFlags
	var nf nginxFlags
	out.register(fs)
	nf.register(fs)
	fs.Lookup("format").Usage = "output format of FILE:LINE: text (nginx config with comments) or json"
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(e, "explain", fmt.Errorf("want exactly one rule name, probe cause or FILE:LINE; known rules: %s", strings.Join(allRules().Names(), ", ")))
	}
	r, ok := allRules().Lookup(fs.Arg(0))
	if !ok && positionArg.MatchString(fs.Arg(0)) {
		return runExplainLocation(fs, &out, &nf, e, fs.Arg(0))
	}
	if !ok {
		if text, ok := probeCause(fs.Arg(0)); ok {
			fmt.Fprint(e.stdout, text)
			return 0
		}
		if near := nearestRule(fs.Arg(0)); near != "" {
			return usageError(e, "explain", fmt.Errorf("unknown rule %q (did you mean %s?)", fs.Arg(0), near))
		}
		return usageError(e, "explain", fmt.Errorf("unknown rule %q; known rules: %s", fs.Arg(0), strings.Join(allRules().Names(), ", ")))
	}
	fmt.Fprint(e.stdout, r.Explain())
	return 0
}

// nearestRule is the rule a misspelt name most likely means: the only one
// it is a prefix of, or the closest within a few edits; "" when unclear.
func nearestRule(name string) string {
	var prefixed []string
	best, bestDist := "", 4
	for _, r := range allRules().Names() {
		if strings.HasPrefix(r, name) {
			prefixed = append(prefixed, r)
		}
		if d := report.EditDistance(name, r); d < bestDist {
			best, bestDist = r, d
		}
	}
	if len(prefixed) == 1 && len(name) >= 4 {
		return prefixed[0]
	}
	return best
}
