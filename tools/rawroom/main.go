package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/parley-chat/parley/persistence"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7490", "listen address (the WebSocket is at /ws)")
	data := flag.String("data", "", "store every 1:1 message with parley's store (Badger, synced, group commit) in this directory before it is acknowledged and relayed; empty: no store")
	syncWrites := flag.Bool("sync-writes", true, "with -data: sync every commit to disk (as parley serve does by default)")
	flag.Parse()
	fmt.Fprintf(os.Stderr, "rawroom: the bare reference server of parley's room benchmarks, on ws://%s/ws\n", *addr)
	s := newServer()
	if *data != "" {
		db, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: *data, SyncWrites: *syncWrites})
		if err != nil {
			fmt.Fprintln(os.Stderr, "rawroom:", err)
			os.Exit(1)
		}
		s.db = db
	}
	err := http.ListenAndServe(*addr, s.routes()) // returns only with an error
	if s.db != nil {
		_ = s.db.Close()
	}
	fmt.Fprintln(os.Stderr, "rawroom:", err)
	os.Exit(1)
}
