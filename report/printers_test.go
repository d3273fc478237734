package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/printers")

// testRules stand in for the analyzers' documentation: one rule per
// half, one security rule, and one rule that never fires (it must still
// be listed in SARIF).
var testRules = Rules{
	{Name: "upgrade-header-missing", Half: "nginx", Severity: Error, Title: "proxied WebSocket location does not forward Upgrade",
		Why: "nginx drops hop-by-hop headers, so the backend sees a plain GET.", Fix: "Add proxy_set_header Upgrade $http_upgrade.",
		Bad: "location /ws {\n    proxy_pass http://app;\n}\n", Good: "location /ws {\n    proxy_pass http://app;\n    proxy_set_header Upgrade $http_upgrade;\n}\n"},
	{Name: "origin-not-checked", Half: "go", Severity: Warning, Title: "upgrader accepts every Origin",
		Why: "Any web page can open the socket with the user's cookies.", Fix: "Set CheckOrigin to compare against an allow list.", Security: true},
	{Name: "h2c-smuggling", Half: "nginx", Severity: Error, Title: "h2c upgrade reaches the backend",
		Why: "An h2c upgrade tunnels past location rules.", Fix: "Clear the Upgrade header for non-WebSocket locations.", Security: true},
	{Name: "never-fires", Half: "nginx", Severity: Info, Title: "a documented rule without findings", Why: "Listed anyway."},
}

func loadInput(t *testing.T) Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "printers", "in.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r Result
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("in.json: %v", err)
	}
	return r
}

// goldenKey stands in for SourceLineKeys, whose files the input only
// names; the two app.conf findings share a key, as identical lines would.
func goldenKey(f Finding) string { return "content at column " + strconv.Itoa(f.Column) }

func TestPrintersGolden(t *testing.T) {
	in := loadInput(t)
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, in, SARIFOptions{Rules: testRules, Version: "v1.2.3", SemanticVersion: "1.2.3", ContentKey: goldenKey}); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "printers", "golden."+format)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s output differs from %s (go test ./report -update rewrites it):\n--- got\n%s\n--- want\n%s", format, golden, buf.Bytes(), want)
			}
		})
	}
}

// TestTextLayout pins the text layout a terminal shows: findings with
// their reason on a continuation line on one writer, input errors on the
// other, with and without colour.
func TestTextLayout(t *testing.T) {
	in := loadInput(t)
	for name, color := range map[string]bool{"plain": false, "color": true} {
		t.Run(name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if err := WriteText(&out, in, TextOptions{Color: color, Errors: &errs, ErrorsColor: color}); err != nil {
				t.Fatal(err)
			}
			got := "-- stdout\n" + out.String() + "-- stderr\n" + errs.String()
			golden := filepath.Join("testdata", "printers", "layout."+name)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("text layout differs from %s (go test ./report -update rewrites it):\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
			if strings.Contains(out.String(), InputErrorLabel) || !strings.Contains(errs.String(), InputErrorLabel) {
				t.Error("input errors are not on their own writer")
			}
			if hasEscape := strings.Contains(got, "\x1b["); hasEscape != color {
				t.Errorf("colour %v, but escape sequences present: %v", color, hasEscape)
			}
		})
	}
}

// TestTextColorPerWriter: findings and errors are coloured apart, as
// their writers may be a pipe and a terminal.
func TestTextColorPerWriter(t *testing.T) {
	in := loadInput(t)
	var out, errs bytes.Buffer
	if err := WriteText(&out, in, TextOptions{Errors: &errs, ErrorsColor: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "\x1b[") || !strings.Contains(errs.String(), "\x1b[1;31m"+InputErrorLabel) {
		t.Errorf("want plain findings and coloured errors:\n%s\n%s", out.String(), errs.String())
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "yaml", Result{}, SARIFOptions{}); err == nil {
		t.Error("unknown format accepted")
	}
}

// sarifSchemaPath is the repository's verbatim copy of the OASIS SARIF
// 2.1.0 schema (see testdata/schemas/README.md).
func sarifSchemaPath() string {
	return filepath.Join("..", "testdata", "schemas", "sarif-2.1.0.json")
}

func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	path := sarifSchemaPath()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("SARIF schema missing from the repository: %v", err)
	}
	sch, err := jsonschema.NewCompiler().Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate against %s: %v", path, err)
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	for name, r := range map[string]Result{
		"shared input": loadInput(t),
		"empty":        {},
		"errors only":  {Errors: []FileError{{File: "a.conf", Line: 1, Message: "bad"}, {Message: "no file at all"}}},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSARIF(&buf, r, SARIFOptions{Rules: testRules, Version: "v0.0.0-20260101000000-0123456789ab+dirty", SemanticVersion: "0.0.0-20260101000000-0123456789ab+dirty"}); err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, buf.Bytes())
		})
	}
}

func TestSchemaCatchesBrokenSARIF(t *testing.T) {
	// Guards the test above: the schema must reject what GitHub rejects.
	for name, doc := range map[string]string{
		"wrong version":  `{"version": "2.0.0", "runs": []}`,
		"level is free":  `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		"column below 1": `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 1, "startColumn": 0}}}]}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			sch, err := jsonschema.NewCompiler().Compile(sarifSchemaPath())
			if err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			if sch.Validate(inst) == nil {
				t.Error("schema accepted an invalid log")
			}
		})
	}
}

// decoded is the part of a SARIF log the assertions read.
type decoded struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string
					ShortDescription     struct{ Text string }
					FullDescription      struct{ Text string }
					Help                 struct{ Text, Markdown string }
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
		Results []struct {
			RuleID    string
			RuleIndex *int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI, URIBaseID string }
					Region           struct{ StartLine, StartColumn int }
				}
			}
			PartialFingerprints map[string]string
		}
	}
}

func sarifOf(t *testing.T, r Result, opts SARIFOptions) decoded {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r, opts); err != nil {
		t.Fatal(err)
	}
	var d decoded
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("want one run, got %d", len(d.Runs))
	}
	return d
}

func TestSARIFContent(t *testing.T) {
	in := loadInput(t)
	run := sarifOf(t, in, SARIFOptions{Rules: testRules}).Runs[0]

	rules := run.Tool.Driver.Rules
	if len(rules) != len(testRules) {
		t.Fatalf("driver lists %d rules, want every one of %d", len(rules), len(testRules))
	}
	for i, r := range rules {
		doc := testRules[i]
		if r.ID != doc.Name || r.ShortDescription.Text != doc.Title || r.FullDescription.Text != doc.Why {
			t.Errorf("rule %d = %+v, want the docs of %s", i, r, doc.Name)
		}
		if doc.Fix != "" && (!strings.Contains(r.Help.Text, doc.Fix) || !strings.Contains(r.Help.Markdown, doc.Fix)) {
			t.Errorf("%s: help does not carry the fix: %+v", doc.Name, r.Help)
		}
		if want := sarifLevel(doc.Severity); r.DefaultConfiguration.Level != want {
			t.Errorf("%s: default level %q, want %q", doc.Name, r.DefaultConfiguration.Level, want)
		}
		score, scored := r.Properties["security-severity"].(string)
		tags, _ := r.Properties["tags"].([]any)
		tagged := false
		for _, tag := range tags {
			tagged = tagged || tag == "security"
		}
		if scored != doc.Security || tagged != doc.Security {
			t.Errorf("%s: security-severity %q and security tag %v, want both only for security rules", doc.Name, score, tagged)
		}
		if scored {
			if v, err := strconv.ParseFloat(score, 64); err != nil || v <= 0 || v > 10 {
				t.Errorf("%s: security-severity %q is not a score in (0, 10]", doc.Name, score)
			}
		}
	}
	if !strings.Contains(rules[0].Help.Markdown, "```nginx\nlocation /ws {") {
		t.Errorf("markdown help lacks the fenced bad example:\n%s", rules[0].Help.Markdown)
	}

	if len(run.Results) != len(in.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(in.Findings))
	}
	for i, res := range run.Results {
		f := in.Findings[i]
		if res.RuleID != f.Rule || res.Message.Text != withReason(f, "\n") || res.Level != sarifLevel(f.Severity) {
			t.Errorf("result %d = %+v, want finding %+v", i, res, f)
		}
		if res.RuleIndex != nil && rules[*res.RuleIndex].ID != f.Rule {
			t.Errorf("result %d: ruleIndex %d names %s, not %s", i, *res.RuleIndex, rules[*res.RuleIndex].ID, f.Rule)
		}
		if _, documented := testRules.Lookup(f.Rule); documented != (res.RuleIndex != nil) {
			t.Errorf("result %d: ruleIndex %v for documented=%v", i, res.RuleIndex, documented)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.Region.StartLine != f.Line || loc.Region.StartColumn < 1 || (f.Column > 0 && loc.Region.StartColumn != f.Column) {
			t.Errorf("result %d: region %+v for %d:%d", i, loc.Region, f.Line, f.Column)
		}
		if filepath.IsAbs(f.File) {
			if loc.ArtifactLocation.URIBaseID != "" || loc.ArtifactLocation.URI != "file://"+f.File {
				t.Errorf("result %d: absolute path became %+v", i, loc.ArtifactLocation)
			}
		} else if loc.ArtifactLocation.URIBaseID != SRCROOT {
			t.Errorf("result %d: relative path without %s: %+v", i, SRCROOT, loc.ArtifactLocation)
		}
	}
	if got := run.Results[3].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "sites%20enabled/odd,name:x.conf" {
		t.Errorf("odd file name encoded as %q", got)
	}

	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != len(in.Errors) {
		t.Errorf("file errors not reported as failed execution with one notification each: %+v", inv)
	}
	for i, n := range inv.ToolExecutionNotifications {
		if n.Level != "error" || n.Message.Text != in.Errors[i].Message {
			t.Errorf("notification %d = %+v, want error %q", i, n, in.Errors[i].Message)
		}
	}
	if clean := sarifOf(t, Result{}, SARIFOptions{}).Runs[0]; !clean.Invocations[0].ExecutionSuccessful || clean.Results == nil {
		t.Errorf("a clean run must be successful with an empty results array: %+v", clean)
	}
}

func fingerprintsOf(t *testing.T, opts SARIFOptions, fs ...Finding) []string {
	t.Helper()
	var out []string
	for _, res := range sarifOf(t, Result{Findings: fs}, opts).Runs[0].Results {
		fp := res.PartialFingerprints[fingerprintKey]
		if fp == "" {
			t.Fatalf("result without %s fingerprint: %+v", fingerprintKey, res)
		}
		out = append(out, fp)
	}
	return out
}

func TestSARIFFingerprints(t *testing.T) {
	base := Finding{Rule: "upgrade-header-missing", Severity: Error, File: "a.conf", Line: 10, Column: 5,
		Message: "Connection header set at a.conf:4:5 is lost in line 9"}
	moved := base
	moved.Line, moved.Column = 25, 9 // lines inserted above, block re-indented
	moved.Message = "Connection header set at a.conf:8:5 is lost in line 24"
	key := func(f Finding) string { return "proxy_pass http://app;" }
	if a, b := fingerprintsOf(t, SARIFOptions{ContentKey: key}, base)[0], fingerprintsOf(t, SARIFOptions{ContentKey: key}, moved)[0]; a != b {
		t.Errorf("fingerprint changed when only positions moved: %s vs %s", a, b)
	}

	for name, change := range map[string]func(*Finding){
		"rule":    func(f *Finding) { f.Rule = "h2c-smuggling" },
		"file":    func(f *Finding) { f.File = "b.conf" },
		"message": func(f *Finding) { f.Message = "Upgrade header is lost" },
	} {
		other := base
		change(&other)
		if a, b := fingerprintsOf(t, SARIFOptions{}, base)[0], fingerprintsOf(t, SARIFOptions{}, other)[0]; a == b {
			t.Errorf("fingerprint ignores the %s", name)
		}
	}
	otherKey := func(f Finding) string { return "proxy_pass http://other;" }
	if a, b := fingerprintsOf(t, SARIFOptions{ContentKey: key}, base)[0], fingerprintsOf(t, SARIFOptions{ContentKey: otherKey}, base)[0]; a == b {
		t.Error("fingerprint ignores the content key")
	}

	twice := fingerprintsOf(t, SARIFOptions{}, base, moved)
	if twice[0] == twice[1] {
		t.Errorf("two identical findings in one file share fingerprint %s", twice[0])
	}
}

func TestSourceLineKeys(t *testing.T) {
	dir := t.TempDir()
	conf := "server {\n\tproxy_pass   http://app;\n    location /ws { secure_link_secret s3cr3t; proxy_pass http://app; }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "a.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	key := SourceLineKeys(dir)
	for _, tt := range []struct {
		f    Finding
		want string
	}{
		{Finding{File: "a.conf", Line: 2, Column: 2}, "proxy_pass http://app"},
		{Finding{File: "a.conf", Line: 2}, "proxy_pass http://app"}, // no column: the line's first statement
		{Finding{File: "a.conf", Line: 3, Column: 5}, "location /ws"},
		{Finding{File: "a.conf", Line: 3, Column: 47}, "proxy_pass http://app"},
	} {
		if got := key(tt.f); got != tt.want {
			t.Errorf("key(%d:%d) = %q, want %q", tt.f.Line, tt.f.Column, got, tt.want)
		}
	}
	for _, f := range []Finding{{File: "a.conf", Line: 9}, {File: "none.conf", Line: 1}, {File: "-", Line: 1}, {File: "a.conf"}} {
		if got := key(f); got != "" {
			t.Errorf("key(%+v) = %q, want empty", f, got)
		}
	}
}

// unescapeGitHub undoes the runner's escaping, to check a round trip.
var unescapeGitHub = strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",").Replace

var githubLine = regexp.MustCompile(`^::(error|warning|notice) ([^:]*)::(.*)$`)

func TestGitHubCommands(t *testing.T) {
	in := loadInput(t)
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, in); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(in.Errors)+len(in.Findings) {
		t.Fatalf("%d lines for %d errors and %d findings (a message broke a line?):\n%s", len(lines), len(in.Errors), len(in.Findings), buf.String())
	}
	for i, line := range lines {
		m := githubLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not a workflow command: %q", line)
		}
		props := map[string]string{}
		for _, p := range strings.Split(m[2], ",") {
			k, v, _ := strings.Cut(p, "=")
			props[k] = unescapeGitHub(v)
		}
		var wantCmd, wantFile, wantTitle, wantMsg string
		var wantLine, wantCol int
		if i < len(in.Errors) {
			e := in.Errors[i]
			wantCmd, wantFile, wantTitle, wantMsg, wantLine, wantCol = "error", e.File, "wscheck", e.Message, e.Line, e.Column
		} else {
			f := in.Findings[i-len(in.Errors)]
			wantCmd, wantFile, wantTitle, wantMsg, wantLine, wantCol = map[Severity]string{Error: "error", Warning: "warning", Info: "notice"}[f.Severity], f.File, f.Rule, withReason(f, "\n"), f.Line, f.Column
		}
		gotLine, _ := strconv.Atoi(props["line"])
		gotCol, _ := strconv.Atoi(props["col"])
		if m[1] != wantCmd || props["file"] != wantFile || props["title"] != wantTitle || gotLine != wantLine || gotCol != wantCol {
			t.Errorf("line %d = %q: got %s %v, want %s file=%s line=%d col=%d title=%s", i, line, m[1], props, wantCmd, wantFile, wantLine, wantCol, wantTitle)
		}
		if got := unescapeGitHub(m[3]); got != wantMsg {
			t.Errorf("line %d: message round-trips to %q, want %q", i, got, wantMsg)
		}
	}
}

func TestCheckstyleRoundTrip(t *testing.T) {
	in := loadInput(t)
	var buf bytes.Buffer
	if err := WriteCheckstyle(&buf, in); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Column   int    `xml:"column,attr"`
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	type entry struct {
		file, severity, message, source string
		line, col                       int
	}
	var got, want []entry
	for _, f := range doc.Files {
		for _, e := range f.Errors {
			got = append(got, entry{f.Name, e.Severity, e.Message, e.Source, e.Line, e.Column})
		}
	}
	for _, e := range in.Errors {
		want = append(want, entry{e.File, "error", e.Message, CheckstyleErrorSource, e.Line, e.Column})
	}
	for _, f := range in.Findings {
		want = append(want, entry{f.File, f.Severity.String(), withReason(f, "; "), "wscheck." + f.Rule, f.Line, f.Column})
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	// Files group their entries, so compare as multisets keyed by order within each file.
	seen := map[entry]int{}
	for _, e := range want {
		seen[e]++
	}
	for _, e := range got {
		seen[e]--
	}
	for e, n := range seen {
		if n != 0 {
			t.Errorf("entry %+v: count off by %d", e, n)
		}
	}
	if len(doc.Files) != 6 {
		t.Errorf("want one <file> per distinct file (6), got %d", len(doc.Files))
	}
}
