//go:build ignore

// testlog reads `go test -json` on stdin and prints what a CI log needs:
// each package's verdict, every skipped test with its reason, and the
// whole output of every failed test. It lives under .ci, which ./...
// never matches; .ci/run runs it with `go run .ci/testlog.go`.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	output := map[string][]string{} // package + test -> its output lines
	var skipped, failed []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // a build error, not JSON
			continue
		}
		key := e.Package + " " + e.Test
		switch {
		case e.Action == "build-output": // compile errors
			fmt.Print(e.Output)
		case e.Action == "output" && e.Test == "":
			if l := e.Output; strings.HasPrefix(l, "ok") || strings.HasPrefix(l, "FAIL") || strings.HasPrefix(l, "?") {
				fmt.Print(l)
			}
		case e.Action == "output":
			output[key] = append(output[key], e.Output)
		case e.Action == "skip" && e.Test != "":
			skipped = append(skipped, key)
		case e.Action == "fail" && e.Test != "":
			failed = append(failed, key)
		}
	}
	for _, key := range skipped {
		var reason []string
		for _, l := range output[key] {
			l = strings.TrimSpace(l)
			if l != "" && !strings.HasPrefix(l, "=== ") && !strings.HasPrefix(l, "--- SKIP") {
				reason = append(reason, l)
			}
		}
		_, test, _ := strings.Cut(key, " ")
		fmt.Printf("skipped: %s: %s\n", test, strings.Join(reason, " "))
	}
	for _, key := range failed {
		fmt.Printf("failed: %s\n%s", key, strings.Join(output[key], ""))
	}
}
