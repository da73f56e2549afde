package store

import "context"

// DropSearchDocsForTest forgets every search document, as a database made
// before search existed would be, for the backfill test.
func DropSearchDocsForTest(ctx context.Context, s *Store) error {
	_, err := s.write(ctx, `DELETE FROM search_docs`)
	return err
}
