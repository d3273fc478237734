package probe

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// Bounds on what is read from a server: a hostile or broken answer must
// end as bad-response, never as unbounded memory.
const (
	maxHeaderBytes = 16 << 10 // status line and headers together
	maxHeaders     = 100
	maxBodyBytes   = 2 << 10 // of an error page: enough for its text
	maxFrameBytes  = 64 << 10
	excerptBytes   = 300
)

// acceptGUID is the fixed GUID of RFC 6455 section 1.3.
const acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.StdEncoding.EncodeToString(b)
}

func expectedAccept(key string) string {
	h := sha1.Sum([]byte(key + acceptGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// errBadResponse marks an answer that is not HTTP as RFC 9112 writes it.
var errBadResponse = errors.New("bad response")

type badResponse struct{ reason string }

func (e *badResponse) Error() string { return e.reason }
func (e *badResponse) Is(t error) bool {
	return t == errBadResponse
}

// response is what was read of the server's answer.
type response struct {
	proto  string
	status int
	reason string
	header http.Header
	body   []byte // up to maxBodyBytes, for non-101 answers
	// wantAccept is the Sec-WebSocket-Accept the key sent requires (on a
	// 101), acceptOK whether the answer carries it.
	wantAccept string
	acceptOK   bool
}

// readResponse reads a status line and headers within maxHeaderBytes.
// A response that is cut off before the blank line, garbled, or too big
// is a *badResponse; a read error before the first byte is returned as is.
func readResponse(br *bufio.Reader) (*response, error) {
	budget := maxHeaderBytes
	readLine := func(first bool) (string, error) {
		var line []byte
		for {
			frag, err := br.ReadSlice('\n')
			line = append(line, frag...)
			budget -= len(frag)
			if budget < 0 {
				return "", &badResponse{fmt.Sprintf("response headers exceed %d bytes", maxHeaderBytes)}
			}
			if err == nil {
				break
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if first && len(line) == 0 {
				return "", err
			}
			if errors.Is(err, io.EOF) {
				return "", &badResponse{"connection closed in the middle of the response headers"}
			}
			return "", err
		}
		return strings.TrimRight(string(line), "\r\n"), nil
	}
	status, err := readLine(true)
	if err != nil {
		return nil, err
	}
	r := &response{header: http.Header{}}
	proto, rest, _ := strings.Cut(status, " ")
	code, reason, _ := strings.Cut(rest, " ")
	if !strings.HasPrefix(proto, "HTTP/") || len(code) != 3 {
		return nil, &badResponse{fmt.Sprintf("not an HTTP status line: %q", clip(status, 80))}
	}
	n, err := strconv.Atoi(code)
	if err != nil || n < 100 {
		return nil, &badResponse{fmt.Sprintf("not an HTTP status line: %q", clip(status, 80))}
	}
	r.proto, r.status, r.reason = proto, n, reason
	for count := 0; ; count++ {
		line, err := readLine(false)
		if err != nil {
			return nil, err
		}
		if line == "" {
			return r, nil
		}
		if count >= maxHeaders {
			return nil, &badResponse{fmt.Sprintf("more than %d response headers", maxHeaders)}
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, &badResponse{fmt.Sprintf("malformed header line %q", clip(line, 80))}
		}
		r.header.Add(textproto.CanonicalMIMEHeaderKey(name), strings.TrimSpace(value))
	}
}

// readBody reads up to maxBodyBytes of an error page: by Content-Length,
// chunked, or until the server closes, whichever the headers say. A read
// that times out keeps what arrived: the excerpt is evidence, not data.
func readBody(br *bufio.Reader, h http.Header) []byte {
	var src io.Reader = br
	if strings.EqualFold(h.Get("Transfer-Encoding"), "chunked") {
		src = newChunkedReader(br)
	} else if cl := h.Get("Content-Length"); cl != "" {
		n, err := strconv.ParseInt(cl, 10, 64)
		if err != nil || n < 0 {
			return nil
		}
		src = io.LimitReader(br, n)
	}
	var buf bytes.Buffer
	_, _ = io.Copy(&buf, io.LimitReader(src, maxBodyBytes))
	return buf.Bytes()
}

// chunkedReader decodes chunked transfer coding, enough for an excerpt.
type chunkedReader struct {
	br   *bufio.Reader
	left int64
	done bool
}

func newChunkedReader(br *bufio.Reader) *chunkedReader { return &chunkedReader{br: br} }

func (c *chunkedReader) Read(p []byte) (int, error) {
	if c.done {
		return 0, io.EOF
	}
	if c.left == 0 {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		size, _, _ := strings.Cut(strings.TrimSpace(string(line)), ";")
		n, err := strconv.ParseInt(size, 16, 64)
		if err != nil || n < 0 {
			return 0, errBadResponse
		}
		if n == 0 {
			c.done = true
			return 0, io.EOF
		}
		c.left = n
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	c.left -= int64(n)
	if c.left == 0 && err == nil {
		_, _ = c.br.Discard(2) // CRLF after the chunk
	}
	return n, err
}

// WebSocket opcodes (RFC 6455 section 5.2).
const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xA
)

// writeFrame writes one final, masked frame, as a client must.
func writeFrame(w io.Writer, op byte, payload []byte) error {
	if len(payload) > 125 {
		return errors.New("control payload over 125 bytes")
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	b := []byte{0x80 | op, 0x80 | byte(len(payload))}
	b = append(b, mask[:]...)
	for i, c := range payload {
		b = append(b, c^mask[i%4])
	}
	_, err := w.Write(b)
	return err
}

type frame struct {
	op      byte
	payload []byte
}

// readFrame reads one frame of at most maxFrameBytes.
func readFrame(br *bufio.Reader) (frame, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return frame{}, err
	}
	f := frame{op: hdr[0] & 0x0f}
	n := uint64(hdr[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(br, ext[:]); err != nil {
			return frame{}, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(br, ext[:]); err != nil {
			return frame{}, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > maxFrameBytes {
		return frame{}, &badResponse{fmt.Sprintf("a frame of %d bytes, over the %d-byte limit", n, maxFrameBytes)}
	}
	var mask [4]byte
	masked := hdr[1]&0x80 != 0
	if masked {
		if _, err := io.ReadFull(br, mask[:]); err != nil {
			return frame{}, err
		}
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(br, f.payload); err != nil {
		return frame{}, err
	}
	if masked {
		for i := range f.payload {
			f.payload[i] ^= mask[i%4]
		}
	}
	return f, nil
}

// closeCode is the status code of a close frame's payload, 1005 (none
// given) when it has none.
func closeCode(payload []byte) int {
	if len(payload) < 2 {
		return 1005
	}
	return int(binary.BigEndian.Uint16(payload))
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
