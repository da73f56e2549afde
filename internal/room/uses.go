package room

// UseRecordings sets the recorder after construction, for a recorder that
// needs the media engine, which needs this service first. Call it before
// the service is used.
func (s *Service) UseRecordings(r Recordings) {
	if r != nil {
		s.recs = r
	}
}
