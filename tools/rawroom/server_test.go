package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/gateway/load"
	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
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

// With a store (-data) every acknowledged 1:1 message is in it before its ack: the peer
// scenario's messages and warm-up, one record each, readable after the run.
func TestReferenceServerStoresPeerMessages(t *testing.T) {
	db, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: t.TempDir(), SyncWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := newServer()
	s.db = db
	srv := httptest.NewServer(s.routes())
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := load.Run(ctx, load.Config{Scenario: "peer", Target: url, Conns: 20, Count: 500, Warmup: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Delivered != 500 || res.Lost != 0 || res.Duplicates != 0 {
		t.Fatalf("peer against rawroom with a store: %+v", res)
	}
	stored := 0
	err = db.Scan(ctx, persistence.PrefixRange([]byte("m/")), func(_, v []byte) bool {
		var m messages.Message
		if proto.Unmarshal(v, &m) != nil || m.Message == "" {
			t.Errorf("stored record %x is not a message", v)
		}
		stored++
		return true
	})
	if err != nil || stored != 500+20 { // the measured messages and one warm-up per sender
		t.Fatalf("stored %d records (%v), want %d", stored, err, 520)
	}
}
