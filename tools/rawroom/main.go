package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7490", "listen address (the WebSocket is at /ws)")
	flag.Parse()
	fmt.Fprintf(os.Stderr, "rawroom: the bare reference server of parley's room benchmarks, on ws://%s/ws\n", *addr)
	if err := http.ListenAndServe(*addr, newServer().routes()); err != nil {
		fmt.Fprintln(os.Stderr, "rawroom:", err)
		os.Exit(1)
	}
}
