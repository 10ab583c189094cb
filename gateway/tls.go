package gateway

import (
	"crypto/tls"
	"fmt"
	"net"
)

// LoadTLS reads a certificate (PEM, the chain after the leaf) and its private key for
// Config.TLS. The server then speaks TLS 1.2 or later only.
func LoadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" || keyFile == "" {
		return nil, fmt.Errorf("TLS needs both a certificate and a key")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate %s and key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// PlaintextExposed reports whether serving plaintext on addr ("host:port") reaches
// beyond this machine: any host but a loopback address or localhost.
func PlaintextExposed(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
