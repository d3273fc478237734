package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
)

// SARIFOptions are what a SARIF log needs beyond the findings.
type SARIFOptions struct {
	// Rules become the tool's rule descriptors; every rule is listed,
	// not only the ones that fired, so code scanning can show them all.
	Rules Rules
	// Version is the tool version (tool.driver.version); empty leaves
	// it out. SemanticVersion is the same as SemVer 2.0, without a "v"
	// (tool.driver.semanticVersion); empty leaves it out.
	Version, SemanticVersion string
	// ContentKey returns what a finding points at (for example its
	// source line, see SourceLineKeys), which fingerprints use instead
	// of the line number. It is only hashed, never printed. Nil or an
	// empty key falls back to rule, file and message alone.
	ContentKey func(Finding) string
}

// SRCROOT is the uriBaseId of every relative location: the repository
// root, which GitHub code scanning resolves to the checkout.
const SRCROOT = "%SRCROOT%"

// fingerprintKey names wscheck's partial fingerprint; the version lets
// the recipe change without matching old alerts to new results wrongly.
const fingerprintKey = "wscheck/v1"

// The SARIF 2.1.0 subset wscheck writes. Field order is the output order.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		SemanticVer    string      `json:"semanticVersion,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifText      `json:"help"`
		DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
		Properties           map[string]any `json:"properties,omitempty"`
	}
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           *int              `json:"ruleIndex,omitempty"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

// WriteSARIF prints one SARIF 2.1.0 run. File paths should already be
// relative to the repository root (see Result.Normalize); relative paths
// get uriBaseId %SRCROOT%, absolute ones become file URIs. Errors become
// tool execution notifications, never results, and mark the run as not
// successful.
func WriteSARIF(w io.Writer, r Result, opts SARIFOptions) error {
	driver := sarifDriver{
		Name:           "wscheck",
		Version:        opts.Version,
		SemanticVer:    opts.SemanticVersion,
		InformationURI: "https://github.com/wscheck/wscheck",
		Rules:          []sarifRule{},
	}
	index := map[string]int{}
	for i, rule := range opts.Rules {
		index[rule.Name] = i
		driver.Rules = append(driver.Rules, sarifRuleOf(rule))
	}

	inv := sarifInvocation{ExecutionSuccessful: len(r.Errors) == 0}
	for _, e := range r.Errors {
		n := sarifNotification{Level: "error", Message: sarifText{Text: e.Message}}
		if e.File != "" {
			n.Locations = []sarifLocation{sarifLocationOf(e.File, e.Line, e.Column)}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}

	results := []sarifResult{}
	seen := map[string]int{}
	for _, f := range r.Findings {
		key := ""
		if opts.ContentKey != nil {
			key = opts.ContentKey(f)
		}
		fp := fingerprint(f, key)
		// Identical findings in one file are told apart by their order,
		// which (unlike their line) survives edits elsewhere in the file.
		seen[fp]++
		res := sarifResult{
			RuleID:              f.Rule,
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: withReason(f, "\n")},
			Locations:           []sarifLocation{sarifLocationOf(f.File, f.Line, f.Column)},
			PartialFingerprints: map[string]string{fingerprintKey: fmt.Sprintf("%s:%d", fp, seen[fp])},
		}
		if i, ok := index[f.Rule]; ok {
			res.RuleIndex = &i
		}
		results = append(results, res)
	}

	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:        sarifTool{Driver: driver},
			Invocations: []sarifInvocation{inv},
			Results:     results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages quote config text such as "<" and "&"
	return enc.Encode(log)
}

func sarifRuleOf(r Rule) sarifRule {
	text, md := ruleHelp(r)
	sr := sarifRule{
		ID:                   r.Name,
		Name:                 r.Name,
		ShortDescription:     sarifText{Text: r.Title},
		FullDescription:      sarifText{Text: strings.TrimSpace(r.Why)},
		Help:                 sarifText{Text: text, Markdown: md},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
	}
	tags := append([]string{}, r.Halves()...)
	if r.Security {
		// GitHub ranks security alerts by this CVSS-like score and only
		// treats a rule as security when it is tagged so.
		tags = append(tags, "security")
		sr.Properties = map[string]any{"security-severity": securitySeverity(r.Severity)}
	}
	if len(tags) > 0 {
		if sr.Properties == nil {
			sr.Properties = map[string]any{}
		}
		sr.Properties["tags"] = tags
	}
	return sr
}

// ruleHelp is the fix followed by the bad and good examples, as plain
// text and as markdown.
func ruleHelp(r Rule) (text, md string) {
	var t, m strings.Builder
	fix := strings.TrimSpace(r.Fix)
	if fix == "" {
		fix = strings.TrimSpace(r.Title)
	}
	fmt.Fprintf(&t, "Fix: %s\n", fix)
	fmt.Fprintf(&m, "**Fix:** %s\n", fix)
	lang := "text"
	if hs := r.Halves(); len(hs) > 0 {
		lang = hs[0] // the examples are in the first half's language
	}
	for _, ex := range []struct{ label, body string }{{"Bad", r.Bad}, {"Good", r.Good}} {
		if strings.TrimSpace(ex.body) == "" {
			continue
		}
		body := strings.TrimRight(ex.body, "\n")
		fmt.Fprintf(&t, "\n%s:\n\n%s\n", ex.label, indent(body))
		fmt.Fprintf(&m, "\n%s:\n\n```%s\n%s\n```\n", ex.label, lang, body)
	}
	return strings.TrimRight(t.String(), "\n"), strings.TrimRight(m.String(), "\n")
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// securitySeverity maps a severity onto GitHub's bands: above 7.0 is
// high, 4.0 to 6.9 medium, below 4.0 low.
func securitySeverity(s Severity) string {
	switch s {
	case Error:
		return "8.0"
	case Warning:
		return "5.5"
	}
	return "3.0"
}

func sarifLocationOf(file string, line, col int) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: artifactOf(file)}}
	if line > 0 {
		// SARIF columns start at 1; 0 means "unknown" in the model.
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: line, StartColumn: max(1, col)}
	}
	return loc
}

func artifactOf(file string) sarifArtifact {
	slash := filepath.ToSlash(file)
	if filepath.IsAbs(file) {
		u := url.URL{Scheme: "file", Path: slash}
		if !strings.HasPrefix(slash, "/") { // a Windows drive letter
			u.Path = "/" + slash
		}
		return sarifArtifact{URI: u.String()}
	}
	// url.URL escapes spaces and '%', and guards a first segment with a
	// colon so it cannot be read as a scheme.
	return sarifArtifact{URI: (&url.URL{Path: slash}).String(), URIBaseID: SRCROOT}
}

// positionInMessage matches the line and column numbers a message may
// cite ("set at a.conf:12:5", "line 12"), which move with unrelated edits.
var positionInMessage = regexp.MustCompile(`(:\d+)+\b|\b(line|col|column) \d+`)

// fingerprint hashes what identifies a finding apart from where it is:
// rule, file, the message without positions, and the content key.
func fingerprint(f Finding, key string) string {
	msg := positionInMessage.ReplaceAllString(f.Message, "")
	h := sha256.New()
	for _, part := range []string{f.Rule, filepath.ToSlash(f.File), msg, key} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
