package report

import (
	"bytes"
	"testing"
)

// TestWriteSummary: the line says what was judged; the nginx counts are
// left out of a run that read only another half, and said (as zero) when
// nothing at all was read.
func TestWriteSummary(t *testing.T) {
	for _, c := range []struct {
		s    Summary
		want string
	}{
		{Summary{}, "wscheck: 0 nginx files, 0 WebSocket locations judged; 0 findings, 0 errors\n"},
		{Summary{HAProxyFiles: 1}, "wscheck: 1 HAProxy file (0 WebSocket backends judged); 0 findings, 0 errors\n"},
		{Summary{HAProxyFiles: 2, HAProxyBackends: 1, ApacheFiles: 3, ApacheMappings: 2}, "wscheck: 2 HAProxy files (1 WebSocket backend judged), 3 Apache files (2 WebSocket mappings judged); 0 findings, 0 errors\n"},
		{Summary{Files: 2, WebSocketLocations: 1, GoPackages: 3}, "wscheck: 2 nginx files, 1 WebSocket location judged, 3 Go packages; 0 findings, 0 errors\n"},
		{Summary{GoPackages: 1, NotAnalyzed: []Skipped{{"a", "b"}}}, "wscheck: 1 Go package, 1 not analyzed (--verbose lists them); 0 findings, 0 errors\n"},
	} {
		var b bytes.Buffer
		WriteSummary(&b, Result{Summary: c.s}, false)
		if b.String() != c.want {
			t.Errorf("%+v:\n got  %q\n want %q", c.s, b.String(), c.want)
		}
	}
}
