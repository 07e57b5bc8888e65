package main

import (
	"fmt"
	log "log/slog"
	_ "embed"
	"example.com/m/internal/db"
)
import "net/http"

// import "not/an/import"
func (s *Server) Serve(w http.ResponseWriter, r *http.Request) {
	handler := func(x int) int {
		if x > 0 && x < 3 {
			return 1
		}
		return 0
	}
	switch handler(1) {
	case 1:
		fmt.Printf("%s", password)
	case 2:
		log.Info("ok", "token", s.token)
	}
	http.HandleFunc("GET /items/{id}", s.items)
}
