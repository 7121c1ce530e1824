package store

// ExecForTest runs raw SQL as a database administrator could, for tests that
// tamper with data behind the application's back.
func ExecForTest(s *Store, query string) error { return s.db.Exec(query).Error }
