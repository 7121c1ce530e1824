// Package faultproxy is a TCP proxy for fault tests: it stands between Tafel
// and Postgres or Redis on loopback and can pass, reset, hold (black hole) or
// delay the connections through it.
package faultproxy

import (
	"io"
	"net"
	"sync"
	"time"
)

// Mode is what the proxy does with the bytes and connections through it.
type Mode int

// Modes of the proxy.
const (
	// Pass forwards everything.
	Pass Mode = iota
	// Reset closes every connection with a TCP reset, and resets new ones at once.
	Reset
	// Hold accepts connections and forwards nothing, either way, until the
	// mode changes: a database that holds connections without answering.
	Hold
)

// Proxy forwards connections from its loopback address to a target.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	cond  *sync.Cond
	mode  Mode
	delay time.Duration
	conns map[net.Conn]struct{}
	done  bool
	wg    sync.WaitGroup
}

// Start listens on a free loopback port and forwards to target (host:port).
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.cond = sync.NewCond(&p.mu)
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Set changes the mode. Reset also resets every connection open now.
func (p *Proxy) Set(m Mode) {
	p.mu.Lock()
	p.mode = m
	if m == Reset {
		for c := range p.conns {
			resetConn(c)
		}
	}
	p.cond.Broadcast()
	p.mu.Unlock()
}

// SetDelay delays every chunk forwarded by d (0: none).
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	p.delay = d
	p.mu.Unlock()
}

// Close stops the proxy and closes every connection through it.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.done = true
	for c := range p.conns {
		c.Close()
	}
	p.cond.Broadcast()
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	return err
}

func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.mode == Reset || p.done {
			p.mu.Unlock()
			resetConn(client)
			continue
		}
		p.conns[client] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(1)
		go p.serve(client)
	}
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	// A held connection dials only once the hold ends.
	if !p.wait() {
		p.drop(client)
		return
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		p.drop(client)
		return
	}
	p.mu.Lock()
	if p.done || p.mode == Reset {
		p.mu.Unlock()
		resetConn(server)
		p.drop(client)
		return
	}
	p.conns[server] = struct{}{}
	p.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pump(server, client) }()
	go func() { defer wg.Done(); p.pump(client, server) }()
	wg.Wait()
	p.drop(client)
	p.drop(server)
}

// wait blocks while the proxy holds; it reports false once the connection
// must go (a reset, or the proxy closed).
func (p *Proxy) wait() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.mode == Hold && !p.done {
		p.cond.Wait()
	}
	return !p.done && p.mode != Reset
}

func (p *Proxy) drop(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	_ = c.Close()
}

// pump copies from src to dst chunk by chunk, holding or delaying each chunk
// as the mode says.
func (p *Proxy) pump(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.wait() {
				resetConn(dst)
				resetConn(src)
				return
			}
			p.mu.Lock()
			d := p.delay
			p.mu.Unlock()
			if d > 0 {
				time.Sleep(d)
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				src.Close()
				return
			}
		}
		if err != nil {
			if err == io.EOF {
				if tc, ok := dst.(*net.TCPConn); ok {
					_ = tc.CloseWrite()
					return
				}
			}
			dst.Close()
			return
		}
	}
}
