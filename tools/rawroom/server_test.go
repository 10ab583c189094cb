package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/gateway/load"
)

// The load tool's room and peer scenarios run against the reference server as against
// parley: every message reaches its receivers exactly once, and the CPU sample is there.
func TestLoadToolDrivesTheReferenceServer(t *testing.T) {
	srv := httptest.NewServer(newServer().routes())
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := load.Run(ctx, load.Config{Scenario: "room", Target: url, Conns: 30, Senders: 2, Count: 300, Warmup: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Expected != 300*29 || res.Delivered != 300*29 || res.Lost != 0 || res.Duplicates != 0 {
		t.Fatalf("room against rawroom: %+v", res)
	}
	if cpu, err := load.ScrapeCPU(ctx, url); err != nil || cpu <= 0 {
		t.Fatalf("cpu sample %v %v", cpu, err)
	}
	res, err = load.Run(ctx, load.Config{Scenario: "peer", Target: url, Conns: 40, Count: 2000, Warmup: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Delivered != 2000 || res.Lost != 0 || res.Duplicates != 0 {
		t.Fatalf("peer against rawroom: %+v", res)
	}
}
