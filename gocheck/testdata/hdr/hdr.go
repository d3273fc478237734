// Package hdr builds request headers for the dials in package helpers:
// its facts say which carry an Origin.
package hdr

import "net/http"

// Token has no Origin on any path.
func Token(tok string) http.Header { // want Token:`returnsHeader$`
	h := http.Header{}
	h.Set("Authorization", "Bearer "+tok)
	return h
}

// Site sets Origin.
func Site(tok string) http.Header { // want Site:`returnsHeader\(Origin\)`
	return http.Header{"Authorization": {"Bearer " + tok}, "Origin": {"https://chat.example.com"}}
}

// Branches has no Origin on either path, or a nil header.
func Branches(tok string) (http.Header, error) { // want Branches:`returnsHeader$`
	if tok == "" {
		return nil, nil
	}
	return http.Header{"Authorization": {tok}}, nil
}

// Extra returns what it is given plus a key: its contents are unknown.
func Extra(h http.Header) http.Header {
	h.Set("X-Trace", "1")
	return h
}

// Chained starts from another helper.
func Chained() http.Header { // want Chained:`returnsHeader$`
	h := Token("x")
	h.Set("User-Agent", "bot")
	return h
}
