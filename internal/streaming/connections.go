package streaming

// Connections is how many streaming connections (WebSocket and server-sent events) this
// process holds open now, for the metrics.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}
