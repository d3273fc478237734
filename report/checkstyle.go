package report

import (
	"encoding/xml"
	"io"
)

// checkstyle XML as reviewdog (-f=checkstyle), Jenkins warnings-ng and
// the GitLab/Sonar importers read it.
type (
	checkstyleReport struct {
		XMLName xml.Name         `xml:"checkstyle"`
		Version string           `xml:"version,attr"`
		Files   []checkstyleFile `xml:"file"`
	}
	checkstyleFile struct {
		Name   string            `xml:"name,attr"`
		Errors []checkstyleError `xml:"error"`
	}
	checkstyleError struct {
		Line     int    `xml:"line,attr,omitempty"`
		Column   int    `xml:"column,attr,omitempty"`
		Severity string `xml:"severity,attr"`
		Message  string `xml:"message,attr"`
		Source   string `xml:"source,attr"`
	}
)

// CheckstyleErrorSource is the source of input errors, which are not
// rules; no rule is named "error", so it cannot clash with wscheck.<rule>.
const CheckstyleErrorSource = "wscheck.error"

// WriteCheckstyle prints checkstyle XML: one <file> per file in order of
// first appearance (errors, then findings), source="wscheck.<rule>".
func WriteCheckstyle(w io.Writer, r Result) error {
	rep := checkstyleReport{Version: "4.3", Files: []checkstyleFile{}}
	byName := map[string]int{}
	add := func(file string, e checkstyleError) {
		i, ok := byName[file]
		if !ok {
			i = len(rep.Files)
			byName[file] = i
			rep.Files = append(rep.Files, checkstyleFile{Name: file})
		}
		rep.Files[i].Errors = append(rep.Files[i].Errors, e)
	}
	for _, e := range r.Errors {
		add(e.File, checkstyleError{Line: e.Line, Column: e.Column, Severity: "error", Message: e.Message, Source: CheckstyleErrorSource})
	}
	for _, f := range r.Findings {
		add(f.File, checkstyleError{Line: f.Line, Column: f.Column, Severity: f.Severity.String(), Message: withReason(f, "; "), Source: "wscheck." + f.Rule})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
